import random

from django.test import SimpleTestCase

from phongdich.dashboards.voronoi import (
    buffered_hull,
    clip_polygon,
    contains,
    convex_hull,
    polygon_area,
    voronoi_cells,
)

BOX = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]


class ConvexHullTests(SimpleTestCase):
    def test_hull_of_a_square_with_inner_points(self) -> None:
        hull = convex_hull([(0, 0), (2, 0), (2, 2), (0, 2), (1, 1), (1, 0)])
        self.assertEqual(hull, [(0, 0), (2, 0), (2, 2), (0, 2)])
        self.assertEqual(polygon_area(hull), 4)

    def test_buffered_hull_of_one_point_surrounds_it(self) -> None:
        hull = buffered_hull([(5.0, 5.0)], radius=1.0)
        self.assertTrue(contains(hull, (5.0, 5.0)))
        self.assertTrue(contains(hull, (5.9, 5.0)))
        self.assertFalse(contains(hull, (6.1, 5.0)))


class VoronoiTests(SimpleTestCase):
    def test_two_points_split_the_box_at_the_bisector(self) -> None:
        cells = voronoi_cells({"a": (2.0, 5.0), "b": (8.0, 5.0)}, {"a": BOX, "b": BOX})
        self.assertAlmostEqual(polygon_area(cells["a"]), 50.0)
        self.assertAlmostEqual(max(x for x, _y in cells["a"]), 5.0)
        self.assertAlmostEqual(min(x for x, _y in cells["b"]), 5.0)

    def test_random_points_each_cell_contains_its_point_and_cells_tile_the_box(self) -> None:
        rng = random.Random(20220127)
        sites = {i: (rng.uniform(0.2, 9.8), rng.uniform(0.2, 9.8)) for i in range(60)}
        cells = voronoi_cells(sites, dict.fromkeys(sites, BOX))
        for key, point in sites.items():
            self.assertTrue(contains(cells[key], point), f"cell {key} must contain its site")
            self.assertGreater(polygon_area(cells[key]), 0)
        for a in sites:
            for b in sites:
                if a < b:
                    overlap = clip_polygon(cells[a], cells[b])
                    self.assertLess(abs(polygon_area(overlap)) if len(overlap) >= 3 else 0.0, 1e-9, (a, b))
        # No overlaps and no gaps: the cells' areas add up to the box.
        self.assertAlmostEqual(sum(polygon_area(c) for c in cells.values()), 100.0, places=6)

    def test_each_point_is_nearest_to_its_own_site(self) -> None:
        rng = random.Random(7)
        sites = {i: (rng.uniform(0, 10), rng.uniform(0, 10)) for i in range(25)}
        cells = voronoi_cells(sites, dict.fromkeys(sites, BOX))
        for _ in range(300):
            probe = (rng.uniform(0, 10), rng.uniform(0, 10))
            nearest = min(sites, key=lambda k: (sites[k][0] - probe[0]) ** 2 + (sites[k][1] - probe[1]) ** 2)
            owners = [k for k, cell in cells.items() if contains(cell, probe)]
            self.assertIn(nearest, owners)

    def test_cells_are_cut_to_their_own_region(self) -> None:
        left = [(0.0, 0.0), (4.0, 0.0), (4.0, 10.0), (0.0, 10.0)]
        cells = voronoi_cells({"a": (2.0, 5.0), "b": (8.0, 5.0)}, {"a": left, "b": BOX})
        self.assertAlmostEqual(polygon_area(cells["a"]), 40.0)
        self.assertAlmostEqual(polygon_area(cells["b"]), 50.0)
