"""Compute the epidemic level of every ward, district and the city (weekly, or on demand) for a cut-off day."""

import json
import time
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from phongdich.levels.models import AssessmentKind
from phongdich.levels.services import levels_assess
from phongdich.reports.days import current_report_day


class Command(BaseCommand):
    help = "Đánh giá cấp độ dịch của mọi phường/xã, quận/huyện và thành phố (mặc định: ngày báo cáo vừa kết thúc)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=date.fromisoformat, help="Ngày chốt số liệu YYYY-MM-DD")
        parser.add_argument("--kind", choices=AssessmentKind.values, default=AssessmentKind.WEEKLY)
        parser.add_argument("--weeks", type=int, default=1, help="Số tuần (lùi 7 ngày một lần) để có lịch sử")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: object, **options: object) -> None:
        last = options["date"] or current_report_day() - timedelta(days=1)
        weeks = int(options["weeks"])  # type: ignore[call-overload]
        if weeks < 1:
            raise CommandError("--weeks phải ≥ 1")
        done = []
        for n in reversed(range(weeks)):
            cutoff_on = last - timedelta(days=7 * n)  # type: ignore[operator]
            started = time.perf_counter()
            try:
                count = levels_assess(cutoff_on=cutoff_on, kind=str(options["kind"]))
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            seconds = round(time.perf_counter() - started, 3)
            done.append({"cutoff_on": cutoff_on.isoformat(), "areas": count, "seconds": seconds})
            if not options["json"]:
                self.stdout.write(f"{cutoff_on:%d/%m/%Y}: {count} địa bàn ({seconds} s)")
        if options["json"]:
            self.stdout.write(json.dumps(done))
