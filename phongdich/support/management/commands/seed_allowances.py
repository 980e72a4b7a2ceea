"""Load the allowance rates of data/allowance_rates.json (idempotent: existing codes are left as they are)."""

from typing import Any

from django.core.management.base import BaseCommand

from phongdich.support.rate_services import rates_seed


class Command(BaseCommand):
    help = "Nạp các mức hỗ trợ lực lượng phòng, chống dịch (chạy lại không tạo trùng, không ghi đè)."

    def handle(self, *args: Any, **options: Any) -> None:
        created, existing = rates_seed()
        self.stdout.write(f"Mức hỗ trợ: {created} thêm mới, {existing} đã có.")
