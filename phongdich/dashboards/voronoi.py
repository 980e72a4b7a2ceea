"""A Voronoi diagram of a few hundred points, each cell clipped to a convex region, in pure Python.

The schematic ward map needs it once per change of the ward centres (the result is cached), so clarity wins
over speed: each cell starts as its region and is cut by the perpendicular bisector of its site and every other
site near enough to matter, nearest first, stopping as soon as the next bisector lies beyond the cell.
Coordinates are planar (x, y); callers project longitude/latitude first (see `dashboards.shapes`).
"""

import math
from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

Point = tuple[float, float]
Polygon = list[Point]  # convex, counter-clockwise, first vertex not repeated at the end

K = TypeVar("K", bound=Hashable)
_EPS = 1e-12


def _cross(o: Point, a: Point, b: Point) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def convex_hull(points: Iterable[Point]) -> Polygon:
    """The convex hull, counter-clockwise (Andrew's monotone chain); fewer than 3 distinct points come back as they are."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts
    lower: Polygon = []
    for p in pts:
        while len(lower) >= 2 and _cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: Polygon = []
    for p in reversed(pts):
        while len(upper) >= 2 and _cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def buffered_hull(points: Iterable[Point], *, radius: float, sides: int = 12) -> Polygon:
    """The convex hull of `points` grown by about `radius`: the hull of a small polygon around every point.

    Works for one or two points too (a district with a single ward centre still gets a cell)."""
    ring = [
        (radius * math.cos(2 * math.pi * i / sides), radius * math.sin(2 * math.pi * i / sides)) for i in range(sides)
    ]
    return convex_hull((x + dx, y + dy) for x, y in points for dx, dy in ring)


def clip_half_plane(polygon: Polygon, normal: Point, offset: float) -> Polygon:
    """The part of a convex polygon where normal · p ≤ offset (one Sutherland–Hodgman pass)."""
    if not polygon:
        return []
    result: Polygon = []
    nx, ny = normal
    previous = polygon[-1]
    previous_side = nx * previous[0] + ny * previous[1] - offset
    for current in polygon:
        side = nx * current[0] + ny * current[1] - offset
        if side <= _EPS:
            if previous_side > _EPS:
                result.append(_crossing(previous, current, previous_side, side))
            result.append(current)
        elif previous_side <= _EPS:
            result.append(_crossing(previous, current, previous_side, side))
        previous, previous_side = current, side
    return result


def _crossing(a: Point, b: Point, side_a: float, side_b: float) -> Point:
    t = side_a / (side_a - side_b)
    return (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))


def clip_polygon(polygon: Polygon, window: Polygon) -> Polygon:
    """The intersection of two convex counter-clockwise polygons."""
    result = polygon
    for i, a in enumerate(window):
        b = window[(i + 1) % len(window)]
        # Inside a counter-clockwise window is to the left of each edge: cross(a, b, p) ≥ 0.
        normal = (b[1] - a[1], a[0] - b[0])
        result = clip_half_plane(result, normal, normal[0] * a[0] + normal[1] * a[1])
        if not result:
            break
    return result


def polygon_area(polygon: Polygon) -> float:
    """Signed area (positive when counter-clockwise)."""
    total = 0.0
    for i, (x1, y1) in enumerate(polygon):
        x2, y2 = polygon[(i + 1) % len(polygon)]
        total += x1 * y2 - x2 * y1
    return total / 2


def contains(polygon: Polygon, point: Point) -> bool:
    """True when `point` lies inside the convex polygon or on its boundary."""
    n = len(polygon)
    return n >= 3 and all(_cross(polygon[i], polygon[(i + 1) % n], point) >= -1e-9 for i in range(n))


def voronoi_cells(sites: Mapping[K, Point], regions: Mapping[K, Polygon]) -> dict[K, Polygon]:
    """For each site, the points of its region nearer to it than to any other site.

    Sites must be distinct. Cells never overlap (each is a true Voronoi cell cut down further by its region) and
    each contains its site whenever the region does."""
    items = list(sites.items())
    cells: dict[K, Polygon] = {}
    for key, p in items:
        cell = list(regions[key])
        others = sorted(((q[0] - p[0]) ** 2 + (q[1] - p[1]) ** 2, q) for other, q in items if other != key)
        for distance2, q in others:
            # A bisector half as far away as the next site cannot cut a cell lying within `reach` of p.
            reach2 = max(((x - p[0]) ** 2 + (y - p[1]) ** 2 for x, y in cell), default=0.0)
            if distance2 / 4 > reach2:
                break
            normal = (q[0] - p[0], q[1] - p[1])
            middle = ((p[0] + q[0]) / 2, (p[1] + q[1]) / 2)
            cell = clip_half_plane(cell, normal, normal[0] * middle[0] + normal[1] * middle[1])
            if not cell:
                break
        cells[key] = cell
    return cells
