"""Import real ward boundaries from a GeoJSON FeatureCollection (matched by GSO code or by name) for the map."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from phongdich.areas.selectors import province
from phongdich.dashboards.boundaries import BY_CODE, BY_NAME, boundaries_import


class Command(BaseCommand):
    help = (
        "Nạp ranh giới phường/xã từ tệp GeoJSON (FeatureCollection, toạ độ WGS84) cho bản đồ; "
        "khớp theo mã GSO hoặc theo tên, liệt kê các đối tượng không khớp."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="Tệp .geojson / .json")
        parser.add_argument(
            "--property", dest="by", choices=[BY_CODE, BY_NAME], default=BY_CODE,
            help="Khớp theo mã GSO (code, mặc định) hay theo tên phường/xã (name).",
        )  # fmt: skip
        parser.add_argument("--field", help="Tên thuộc tính chứa mã/tên (mặc định: code hoặc name).")
        parser.add_argument("--district-field", help="Thuộc tính chứa tên quận/huyện, khi khớp theo tên.")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không lưu.")
        parser.add_argument("--json", action="store_true", help="In kết quả dạng JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            collection = json.loads(path.read_text(encoding="utf-8-sig"))
        except OSError as error:
            raise CommandError(f"Không đọc được tệp {path}: {error.strerror}") from error
        except json.JSONDecodeError as error:
            raise CommandError(f"Tệp {path} không phải JSON hợp lệ (dòng {error.lineno}): {error.msg}") from error
        try:
            result = boundaries_import(
                collection=collection, province=province(), by=options["by"], field_name=options["field"],
                district_field=options["district_field"], source=path.name, dry_run=options["dry_run"],
            )  # fmt: skip
        except ValueError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "features": result.features,
                        "matched": len(result.matched),
                        "unmatched": [u.__dict__ for u in result.unmatched],
                        "wards_without_geometry": result.wards_without_geometry,
                        "dry_run": options["dry_run"],
                    },
                    ensure_ascii=False,
                )
            )
            return
        verb = "Khớp được (chưa lưu)" if options["dry_run"] else "Đã lưu ranh giới"
        self.stdout.write(f"{verb}: {len(result.matched)}/{result.features} đối tượng.")
        for item in result.unmatched:
            self.stdout.write(f"  Không khớp #{item.index} “{item.key}”: {item.reason}")
        self.stdout.write(f"Phường/xã còn thiếu ranh giới (hiển thị ô sơ đồ): {result.wards_without_geometry}.")
