"""Recompute the daily summary table (`WardDay`) from the raw tables, for all days or a range."""

import json
import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from phongdich.reports.tallies import tallies_rebuild


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Ngày không hợp lệ: {value} (dạng YYYY-MM-DD).") from error


class Command(BaseCommand):
    help = "Tính lại bảng số liệu ngày theo phường/xã (WardDay) từ dữ liệu gốc."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", type=_day, help="từ ngày (YYYY-MM-DD)")
        parser.add_argument("--to", dest="end", type=_day, help="đến ngày (YYYY-MM-DD)")
        parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")

    def handle(self, *args: Any, start: date | None, end: date | None, **options: Any) -> None:
        if start and end and end < start:
            raise CommandError("--to phải sau hoặc bằng --from.")
        began = time.perf_counter()
        rows = tallies_rebuild(start=start, end=end)
        seconds = round(time.perf_counter() - began, 3)
        if options["json"]:
            self.stdout.write(json.dumps({"rows": rows, "seconds": seconds}))
        else:
            self.stdout.write(f"Đã tính lại {rows} dòng số liệu ngày trong {seconds} giây.")
