"""Demo treatment facilities of Hà Nội and initial medicine stock (idempotent).

Names are real Hà Nội hospitals and the kind of concentrated F0 facilities each district ran in 2021–2022;
coordinates are approximate (to a few hundred metres) and bed counts are illustrative, not official figures.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from phongdich.accounts.models import User
from phongdich.accounts.roles import Role
from phongdich.areas.models import Area, Level
from phongdich.care.models import Facility, Package, Stock
from phongdich.care.services import FacilityData, facility_create, stock_receive

# (code, name, tier, district GSO code, address, lat, lon, beds, icu_beds, occupied already, ICU occupied)
FACILITIES = [
    ("HN-T3-NDTW2", "Bệnh viện Bệnh Nhiệt đới Trung ương cơ sở 2", 3, "017", "Kim Chung, Đông Anh",
     21.1322, 105.7791, 600, 120, 410, 70),
    ("HN-T3-DUCGIANG", "Bệnh viện Đa khoa Đức Giang", 3, "004", "54 Trường Lâm, Đức Giang, Long Biên",
     21.0617, 105.8962, 250, 120, 180, 64),
    ("HN-T3-HADONG", "Bệnh viện Đa khoa Hà Đông", 3, "268", "2 Bế Văn Đàn, Quang Trung, Hà Đông",
     20.9693, 105.7795, 200, 40, 120, 18),
    ("HN-T2-THANHNHAN", "Bệnh viện Thanh Nhàn", 2, "007", "42 Thanh Nhàn, Hai Bà Trưng",
     21.0037, 105.8588, 300, 30, 190, 12),
    # Full on purpose: the demo shows the refusal with the nearest tier-2 facilities that still have beds.
    ("HN-T2-DONGDA", "Bệnh viện Đa khoa Đống Đa", 2, "006", "192 Nguyễn Lương Bằng, Đống Đa",
     21.0133, 105.8272, 150, 10, 150, 10),
    ("HN-T2-DONGANH", "Bệnh viện Đa khoa huyện Đông Anh", 2, "017", "Thị trấn Đông Anh",
     21.1406, 105.8469, 200, 10, 95, 3),
    ("HN-T2-GIALAM", "Bệnh viện Đa khoa huyện Gia Lâm", 2, "018", "Thị trấn Trâu Quỳ, Gia Lâm",
     21.0166, 105.9367, 150, 8, 60, 2),
    ("HN-T2-SOCSON", "Bệnh viện Đa khoa Sóc Sơn", 2, "016", "Thị trấn Sóc Sơn",
     21.2561, 105.8479, 200, 8, 40, 1),
    ("HN-T2-THANHTRI", "Bệnh viện Đa khoa Thanh Trì", 2, "020", "Thị trấn Văn Điển, Thanh Trì",
     20.9480, 105.8460, 120, 6, 70, 2),
    ("HN-T1-BADINH", "Cơ sở thu dung, điều trị F0 quận Ba Đình", 1, "001", "Quận Ba Đình",
     21.0380, 105.8290, 120, 0, 45, 0),
    ("HN-T1-HOANKIEM", "Cơ sở thu dung, điều trị F0 quận Hoàn Kiếm", 1, "002", "Quận Hoàn Kiếm",
     21.0250, 105.8530, 80, 0, 30, 0),
    ("HN-T1-CAUGIAY", "Cơ sở thu dung, điều trị F0 quận Cầu Giấy", 1, "005", "Quận Cầu Giấy",
     21.0300, 105.7920, 150, 0, 70, 0),
    ("HN-T1-HOANGMAI", "Cơ sở thu dung, điều trị F0 quận Hoàng Mai", 1, "008", "Quận Hoàng Mai",
     20.9750, 105.8620, 200, 0, 120, 0),
    ("HN-T1-NAMTULIEM", "Cơ sở thu dung, điều trị F0 quận Nam Từ Liêm", 1, "019", "Quận Nam Từ Liêm",
     21.0050, 105.7690, 250, 0, 90, 0),
    ("HN-T1-LONGBIEN", "Cơ sở thu dung, điều trị F0 quận Long Biên", 1, "004", "Quận Long Biên",
     21.0400, 105.8890, 180, 0, 60, 0),
]  # fmt: skip

# Opening stock: every district centre of the city, and the ward stations of the demo districts.
DISTRICT_STOCK = {Package.A: 300, Package.B: 60, Package.C: 120}
WARD_STOCK = {Package.A: 40, Package.B: 5, Package.C: 10}
DEMO_DISTRICTS = ["001", "002"]


class Command(BaseCommand):
    help = "Nạp cơ sở điều trị mẫu của Hà Nội và tồn kho túi thuốc ban đầu (chạy lại không tạo trùng)."

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(role=Role.CITY_ADMIN, area__code="01", is_active=True).order_by("pk").first()
        if actor is None:
            raise CommandError("Cần một tài khoản quản trị thành phố (chạy seed_demo trước).")
        with transaction.atomic():
            facilities = self.load_facilities(actor)
            stocks = self.load_stock(actor)
        self.stdout.write(
            f"Cơ sở điều trị: {facilities} tạo mới; kho thuốc: {stocks} loại túi được nhập lần đầu "
            "(toạ độ gần đúng, số giường minh hoạ)"
        )

    def load_facilities(self, actor: User) -> int:
        existing = set(Facility.objects.values_list("code", flat=True))
        districts = {a.code: a for a in Area.objects.filter(level=Level.DISTRICT, parent__code="01")}
        created = 0
        for code, name, tier, district, address, lat, lon, beds, icu, occupied, icu_occupied in FACILITIES:
            if code in existing:
                continue
            data = FacilityData(
                code=code, name=name, tier=tier, district=districts[district], beds=beds, icu_beds=icu,
                icu_occupied=icu_occupied, address=address, lat=lat, lon=lon,
            )  # fmt: skip
            facility_create(actor=actor, data=data, occupied=occupied)
            created += 1
        return created

    def load_stock(self, actor: User) -> int:
        areas = list(Area.objects.filter(level=Level.DISTRICT, parent__code="01")) + list(
            Area.objects.filter(level=Level.WARD, parent__code__in=DEMO_DISTRICTS)
        )
        stocked = set(Stock.objects.filter(area__in=areas).values_list("area_id", "package"))
        created = 0
        for area in areas:
            amounts = DISTRICT_STOCK if area.level == Level.DISTRICT else WARD_STOCK
            for package, quantity in amounts.items():
                if (area.pk, package) in stocked:
                    continue
                stock_receive(
                    actor=actor, area=area, package=package, quantity=quantity, note="Tồn kho ban đầu (dữ liệu mẫu)"
                )
                created += 1
        return created
