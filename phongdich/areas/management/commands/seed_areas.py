"""Load the 2021–2022 administrative units (63 provinces, 705 districts, 10,598 wards)."""

from django.core.management.base import BaseCommand

from phongdich.areas.services import areas_load


class Command(BaseCommand):
    help = "Nạp danh mục đơn vị hành chính (chạy lại nhiều lần không sao)."

    def handle(self, *args: object, **options: object) -> None:
        count = areas_load()
        self.stdout.write(f"{count} đơn vị hành chính")
