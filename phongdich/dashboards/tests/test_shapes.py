from django.test import TestCase

from phongdich.areas.models import Area, Level
from phongdich.dashboards.shapes import _wards, place_missing_points, schematic_cells, shapes_invalidate, ward_shapes
from phongdich.dashboards.voronoi import clip_polygon, contains, polygon_area


def ring_polygon(ring: list[list[float]]) -> list[tuple[float, float]]:
    return [(x, y) for x, y in ring[:-1]]


class WardShapesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.hanoi = Area.objects.get(code="01")

    def setUp(self) -> None:
        shapes_invalidate()

    def test_every_hanoi_ward_gets_a_schematic_cell_containing_its_centre(self) -> None:
        result = ward_shapes(province=self.hanoi)
        self.assertEqual(len(result.shapes), 579)
        self.assertEqual(result.schematic, 579)
        self.assertEqual(result.placed, 86)  # 493 of 579 wards have a centre point
        sites, _placed = place_missing_points(_wards(self.hanoi))
        for shape in result.shapes:
            polygon = ring_polygon(shape.geometry["coordinates"][0])
            self.assertGreaterEqual(len(polygon), 3, shape.name)
            lat, lon = sites[shape.ward_id]
            self.assertTrue(contains(polygon, (lon, lat)), shape.name)
        # The wards with a centre point of their own keep it (but one of the two sharing a point, nudged apart).
        own = Area.objects.filter(level=Level.WARD, parent__parent=self.hanoi, lat__isnull=False)
        kept = sum(1 for pk, lat, lon in own.values_list("pk", "lat", "lon") if sites[pk] == (lat, lon))
        self.assertEqual(kept, 492)

    def test_cells_of_a_district_do_not_overlap(self) -> None:
        shapes = [s for s in ward_shapes(province=self.hanoi).shapes if s.district_name == "Quận Đống Đa"]
        polygons = {s.name: ring_polygon(s.geometry["coordinates"][0]) for s in shapes}
        names = sorted(polygons)
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                overlap = clip_polygon(polygons[a], polygons[b])
                area = abs(polygon_area(overlap)) if len(overlap) >= 3 else 0.0
                self.assertLess(area, 1e-10, (a, b))

    def test_wards_without_a_centre_are_placed_in_their_district_deterministically(self) -> None:
        wards = _wards(self.hanoi)
        first, placed = place_missing_points(wards)
        again, _placed = place_missing_points(wards)
        self.assertEqual(first, again)
        self.assertEqual(len(set(first.values())), len(wards))  # distinct sites, the duplicate pair nudged apart
        district_of = {w.pk: w.district_id for w in wards}
        for pk in placed:
            own = [first[w.pk] for w in wards if w.district_id == district_of[pk] and w.pk not in placed]
            lat = sum(p[0] for p in own) / len(own)
            lon = sum(p[1] for p in own) / len(own)
            self.assertLess(abs(first[pk][0] - lat) + abs(first[pk][1] - lon), 0.03)

    def test_cached_after_the_first_call(self) -> None:
        ward_shapes(province=self.hanoi)
        with self.assertNumQueries(1):
            again = ward_shapes(province=self.hanoi)
        self.assertEqual(len(again.shapes), 579)

    def test_a_moved_centre_changes_the_cells(self) -> None:
        before = {s.code: s.geometry for s in ward_shapes(province=self.hanoi).shapes}
        Area.objects.filter(code="00001").update(lat=21.047, lon=105.849)
        after = {s.code: s.geometry for s in ward_shapes(province=self.hanoi).shapes}
        self.assertNotEqual(before["00001"], after["00001"])

    def test_schematic_cells_of_nothing(self) -> None:
        self.assertEqual(schematic_cells([]), ({}, set()))
