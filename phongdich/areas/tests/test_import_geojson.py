import io
import json
from pathlib import Path
from tempfile import TemporaryDirectory

from django.core.management import CommandError, call_command
from django.test import TestCase

from phongdich.areas.models import Area
from phongdich.audit.models import AuditLog, Event
from phongdich.dashboards.shapes import ward_shapes


def square(lon: float, lat: float, size: float = 0.005) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(properties: dict, geometry: dict | None) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


class ImportGeojsonTests(TestCase):
    def setUp(self) -> None:
        self.tmp = TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def run_command(self, collection: object, *args: str) -> str:
        path = Path(self.tmp.name) / "wards.geojson"
        path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
        out = io.StringIO()
        call_command("import_geojson", str(path), *args, stdout=out)
        return out.getvalue()

    def test_matches_by_code_pads_codes_and_reports_the_rest(self) -> None:
        collection = {
            "type": "FeatureCollection",
            "features": [
                feature({"code": "00001"}, square(105.84, 21.04)),
                feature({"code": "4"}, square(105.84, 21.05)),  # Trúc Bạch, code without leading zeros
                feature({"code": "99999"}, square(105.0, 21.0)),
                feature({"code": "00037"}, {"type": "Point", "coordinates": [105.85, 21.03]}),
                feature({"ma": "00040"}, square(105.86, 21.03)),
                feature({"code": "00001"}, square(105.9, 21.1)),
            ],
        }
        out = self.run_command(collection)
        self.assertIn("Đã lưu ranh giới: 2/6", out)
        self.assertIn("#3 “99999”: Không có phường/xã mã 99999", out)
        self.assertIn("#4 “00037”: Hình không phải Polygon", out)
        self.assertIn("#5 “”: Thiếu thuộc tính “code”", out)
        self.assertIn("#6 “00001”: Phường Phúc Xá đã có hình", out)
        self.assertEqual(Area.objects.get(code="00001").geometry, square(105.84, 21.04))
        self.assertEqual(Area.objects.get(code="00004").geometry, square(105.84, 21.05))
        self.assertIsNone(Area.objects.get(code="00037").geometry)
        self.assertIn("Phường/xã còn thiếu ranh giới (hiển thị ô sơ đồ): 577.", out)
        log = AuditLog.objects.get(target_type="area_geometry")
        self.assertEqual((log.event, log.extra["matched"], log.extra["unmatched"]), (Event.IMPORT, 2, 4))

    def test_matches_by_name_with_the_district_property(self) -> None:
        collection = {
            "type": "FeatureCollection",
            "features": [
                feature({"ten": "P. Phuc Xa", "quan": "Ba Đình"}, square(105.84, 21.04)),
                feature({"ten": "Phường Không Có", "quan": "Ba Đình"}, square(105.84, 21.05)),
            ],
        }
        out = self.run_command(collection, "--property", "name", "--field", "ten", "--district-field", "quan", "--json")
        result = json.loads(out)
        self.assertEqual(result["matched"], 1)
        self.assertEqual(result["unmatched"][0]["index"], 2)
        self.assertIn("Không tìm thấy phường/xã", result["unmatched"][0]["reason"])
        self.assertEqual(Area.objects.get(code="00001").geometry, square(105.84, 21.04))

    def test_dry_run_stores_nothing(self) -> None:
        collection = {"type": "FeatureCollection", "features": [feature({"code": "00001"}, square(105.84, 21.04))]}
        out = self.run_command(collection, "--dry-run")
        self.assertIn("Khớp được (chưa lưu): 1/1", out)
        self.assertIsNone(Area.objects.get(code="00001").geometry)
        self.assertFalse(AuditLog.objects.filter(target_type="area_geometry").exists())

    def test_rejects_what_is_not_a_feature_collection(self) -> None:
        with self.assertRaisesMessage(CommandError, "không phải GeoJSON FeatureCollection"):
            self.run_command({"type": "Feature", "geometry": None})
        path = Path(self.tmp.name) / "broken.geojson"
        path.write_text("{not json", encoding="utf-8")
        with self.assertRaisesMessage(CommandError, "không phải JSON hợp lệ"):
            call_command("import_geojson", str(path), stdout=io.StringIO())

    def test_bad_coordinates_are_refused(self) -> None:
        swapped = square(21.04, 105.84)  # latitude first: 105 is not a latitude
        out = self.run_command({"type": "FeatureCollection", "features": [feature({"code": "00001"}, swapped)]})
        self.assertIn("ngoài phạm vi kinh độ/vĩ độ", out)
        self.assertIsNone(Area.objects.get(code="00001").geometry)

    def test_the_map_uses_the_imported_boundary_at_once(self) -> None:
        hanoi = Area.objects.get(code="01")
        before = {s.code: s for s in ward_shapes(province=hanoi).shapes}
        self.assertTrue(before["00001"].schematic)
        with self.captureOnCommitCallbacks(execute=True):
            self.run_command(
                {"type": "FeatureCollection", "features": [feature({"code": "00001"}, square(105.84, 21.04))]}
            )
        after = {s.code: s for s in ward_shapes(province=hanoi).shapes}
        self.assertFalse(after["00001"].schematic)
        self.assertEqual(after["00001"].geometry, square(105.84, 21.04))
        self.assertTrue(after["00004"].schematic)
