"""Ward shapes for the map: the imported boundary (Area.geometry) when there is one, else a schematic cell.

Schematic cells are the Voronoi cells of the ward centre points (Area.lat/lon), each clipped to its district's
convex hull grown by `DISTRICT_MARGIN_KM`, so a cell never spills far into the next district and the outskirts
don't stretch to infinity. A ward without a centre point gets one placed near the mean of its district's wards
(a small offset derived from its code, so the map is the same every time) and is flagged `placed`.

Computing the cells of Hà Nội's 579 wards takes a fraction of a second; the result is cached under a
fingerprint of the wards (ids, districts, points, whether a boundary is imported), so it is rebuilt only when
those change. `import_geojson` also drops the cache, since a re-imported boundary leaves the fingerprint alone.
"""

import hashlib
import math
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import BooleanField, ExpressionWrapper, Q

from phongdich.areas.models import Area, Level
from phongdich.dashboards.voronoi import Point, Polygon, buffered_hull, voronoi_cells

DISTRICT_MARGIN_KM = 1.5
PLACED_OFFSET_KM = 0.6  # how far from its district's mean a ward without a centre point is put
KM_PER_DEGREE = 111.32
CACHE_SECONDS = 24 * 3600
_CACHE_PREFIX = "dashboards:ward_shapes:"
_GENERATION_KEY = "dashboards:ward_shapes:generation"


@dataclass(frozen=True)
class WardShape:
    ward_id: int
    code: str
    name: str
    district_id: int
    district_name: str
    geometry: dict[str, Any]  # GeoJSON Polygon / MultiPolygon, longitude first
    schematic: bool  # a Voronoi cell, not the real boundary
    placed: bool  # the ward had no centre point; one was placed in its district


@dataclass(frozen=True)
class ShapeSet:
    shapes: list[WardShape]

    @property
    def schematic(self) -> int:
        return sum(1 for s in self.shapes if s.schematic)

    @property
    def placed(self) -> int:
        return sum(1 for s in self.shapes if s.placed)


@dataclass(frozen=True)
class _Ward:
    pk: int
    code: str
    name: str
    district_id: int
    district_name: str
    lat: float | None
    lon: float | None
    has_geometry: bool


def shapes_invalidate() -> None:
    """Forget every cached shape set (after boundaries were imported)."""
    try:
        cache.incr(_GENERATION_KEY)
    except ValueError:
        cache.set(_GENERATION_KEY, 1, None)


def ward_shapes(*, province: Area) -> ShapeSet:
    """Every ward of `province` with its shape: two small queries when cached, the Voronoi computation otherwise."""
    wards = _wards(province)
    key = _cache_key(wards)
    cached = cache.get(key)
    if cached is None:
        cached = _build(wards)
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def _wards(province: Area) -> list[_Ward]:
    has_geometry = ExpressionWrapper(Q(geometry__isnull=False), output_field=BooleanField())
    rows = (
        Area.objects.filter(level=Level.WARD, parent__parent_id=province.pk)
        .annotate(has_geometry=has_geometry)
        .values_list("pk", "code", "name", "parent_id", "parent__name", "lat", "lon", "has_geometry")
        .order_by("code")
    )
    return [_Ward(*row) for row in rows]


def _cache_key(wards: list[_Ward]) -> str:
    digest = hashlib.sha256(repr([(w.pk, w.district_id, w.lat, w.lon, w.has_geometry) for w in wards]).encode())
    return f"{_CACHE_PREFIX}{cache.get(_GENERATION_KEY, 0)}:{digest.hexdigest()}"


# --- projection: a plane where distances are kilometres, near enough over one city ------------------------------


@dataclass(frozen=True)
class _Plane:
    lat0: float

    def to_xy(self, lat: float, lon: float) -> Point:
        return (lon * KM_PER_DEGREE * math.cos(math.radians(self.lat0)), lat * KM_PER_DEGREE)

    def to_lonlat(self, point: Point) -> list[float]:
        x, y = point
        return [round(x / (KM_PER_DEGREE * math.cos(math.radians(self.lat0))), 6), round(y / KM_PER_DEGREE, 6)]


def place_missing_points(wards: list[_Ward]) -> tuple[dict[int, tuple[float, float]], set[int]]:
    """A (lat, lon) for every ward: its own, or its district's mean plus a small offset from its code.

    Returns the points and the ids of the wards whose point was placed. Two wards on the same point (the source
    data has one such pair) are pulled a few metres apart, since a Voronoi diagram needs distinct sites."""
    points: dict[int, tuple[float, float]] = {}
    by_district: dict[int, list[tuple[float, float]]] = {}
    for w in wards:
        if w.lat is not None and w.lon is not None:
            by_district.setdefault(w.district_id, []).append((w.lat, w.lon))
    everything = [p for pts in by_district.values() for p in pts] or [(21.0278, 105.8342)]
    placed: set[int] = set()
    taken: set[tuple[float, float]] = set()
    for w in wards:
        if w.lat is not None and w.lon is not None:
            point = (w.lat, w.lon)
        else:
            lat, lon = _mean(by_district.get(w.district_id) or everything)
            angle = (int(w.code) * 137.508) % 360  # the golden angle spreads the placed wards of one district
            step = PLACED_OFFSET_KM / KM_PER_DEGREE * (1 + (int(w.code) % 3) / 2)
            point = (lat + step * math.sin(math.radians(angle)), lon + step * math.cos(math.radians(angle)))
            placed.add(w.pk)
        nudge = 0
        while point in taken:
            nudge += 1
            point = (point[0] + 0.0003 * nudge, point[1] + 0.0003 * nudge)
        points[w.pk] = point
        taken.add(point)
    return points, placed


def _mean(points: list[tuple[float, float]]) -> tuple[float, float]:
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def schematic_cells(wards: list[_Ward]) -> tuple[dict[int, list[list[float]]], set[int]]:
    """The schematic cell of every ward as a closed GeoJSON ring (longitude first), and the placed wards."""
    if not wards:
        return {}, set()
    points, placed = place_missing_points(wards)
    plane = _Plane(lat0=sum(p[0] for p in points.values()) / len(points))
    sites = {pk: plane.to_xy(lat, lon) for pk, (lat, lon) in points.items()}
    district_sites: dict[int, list[Point]] = {}
    for w in wards:
        district_sites.setdefault(w.district_id, []).append(sites[w.pk])
    hulls = {d: buffered_hull(pts, radius=DISTRICT_MARGIN_KM) for d, pts in district_sites.items()}
    regions: dict[int, Polygon] = {w.pk: hulls[w.district_id] for w in wards}
    cells = voronoi_cells(sites, regions)
    rings = {}
    for pk, cell in cells.items():
        ring = [plane.to_lonlat(p) for p in cell]
        rings[pk] = [*ring, ring[0]] if ring else []
    return rings, placed


def _build(wards: list[_Ward]) -> ShapeSet:
    needing_cells = [w for w in wards if not w.has_geometry]
    # Cells are computed over every ward, so that an imported ward still pushes its neighbours' cells away.
    rings, placed = schematic_cells(wards) if needing_cells else ({}, set())
    geometries = dict(
        Area.objects.filter(pk__in=[w.pk for w in wards if w.has_geometry]).values_list("pk", "geometry")
    ) if len(needing_cells) < len(wards) else {}  # fmt: skip
    shapes = []
    for w in wards:
        if w.has_geometry:
            geometry, schematic = _as_geometry(geometries[w.pk]), False
        else:
            geometry, schematic = {"type": "Polygon", "coordinates": [rings.get(w.pk, [])]}, True
        shapes.append(
            WardShape(
                ward_id=w.pk, code=w.code, name=w.name, district_id=w.district_id, district_name=w.district_name,
                geometry=geometry, schematic=schematic, placed=schematic and w.pk in placed,
            )
        )  # fmt: skip
    return ShapeSet(shapes=shapes)


def _as_geometry(stored: dict[str, Any]) -> dict[str, Any]:
    """Area.geometry holds a GeoJSON geometry; a whole Feature is accepted too."""
    return stored.get("geometry", stored) if stored.get("type") == "Feature" else stored
