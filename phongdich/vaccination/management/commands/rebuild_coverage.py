"""Recount the coverage tallies from the vaccination summaries (after a bulk load, or nightly to repair drift)."""

from typing import Any

from django.core.management.base import BaseCommand

from phongdich.vaccination.services import coverage_tallies_rebuild


class Command(BaseCommand):
    help = "Đếm lại bảng tổng hợp độ bao phủ từ trạng thái tiêm chủng của từng người."

    def handle(self, *args: Any, **options: Any) -> None:
        tallies, days = coverage_tallies_rebuild()
        self.stdout.write(f"Đã đếm lại: {tallies} ô theo phường/năm sinh/trạng thái, {days} ô theo ngày.")
