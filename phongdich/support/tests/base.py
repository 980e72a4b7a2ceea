"""The support tests' base: the city's test users and wards, plus rates, teams and entitlements factories."""

from datetime import date

from phongdich.areas.models import Area
from phongdich.support.models import AllowanceRate, Beneficiary, Entitlement, Payment, PaymentMethod, Unit
from phongdich.support.rate_services import RateData, rate_create
from phongdich.support.services import entitlement_create, payment_record
from phongdich.teams.models import Team, TeamKind
from phongdich.teams.services import team_create, team_member_add
from phongdich.testing import PhongdichTestCase

TODAY = date(2022, 3, 31)


class SupportTestCase(PhongdichTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.day_rate = cls.make_rate(
            name="Hỗ trợ người tham gia chống dịch", beneficiary=Beneficiary.FRONTLINE, unit=Unit.PER_DAY,
            amount=150_000, valid_from=date(2021, 1, 1),
        )  # fmt: skip
        cls.month_rate = cls.make_rate(
            name="Hỗ trợ Tổ Covid cộng đồng", beneficiary=Beneficiary.COMMUNITY_TEAM, unit=Unit.PER_MONTH,
            amount=1_000_000, valid_from=date(2021, 9, 1),
        )  # fmt: skip
        cls.home_rate = cls.make_rate(
            name="Hỗ trợ Tổ F0 tại nhà", beneficiary=Beneficiary.HOME_CARE_TEAM, unit=Unit.PER_DAY, amount=100_000,
            valid_from=date(2021, 11, 1),
        )  # fmt: skip

    @classmethod
    def make_rate(
        cls, *, valid_to: date | None = None, document: str = "NQ 16/NQ-CP (08/02/2021)", **values
    ) -> AllowanceRate:  # type: ignore[no-untyped-def]
        return rate_create(actor=None, data=RateData(valid_to=valid_to, document=document, **values))

    def make_team(
        self, *, ward: Area | None = None, kind: str = TeamKind.COMMUNITY, name: str = "Tổ dân phố 5",
        members: tuple[str, ...] = ("Nguyễn Văn An", "Trần Thị Bình"),
    ) -> Team:  # fmt: skip
        team = team_create(actor=self.city_admin, ward=ward or self.ward_a1, kind=kind, name=name)
        for i, full_name in enumerate(members):
            team_member_add(actor=self.city_admin, team=team, full_name=full_name, phone=f"09120000{i:02d}")
        return team

    def named(
        self, *, ward: Area | None = None, full_name: str = "Lê Văn Cường", phone: str = "0912345678",
        rate: AllowanceRate | None = None, start_on: date = date(2022, 1, 1), end_on: date = date(2022, 1, 10),
        **extra: object,
    ) -> Entitlement:  # fmt: skip
        """A named front-line person's entitlement: 150,000/day × 10 days = 1,500,000 by default."""
        return entitlement_create(
            actor=self.city_admin, rate=rate or self.day_rate, ward=ward or self.ward_a1, full_name=full_name,
            phone=phone, start_on=start_on, end_on=end_on, today=TODAY, **extra,  # type: ignore[arg-type]
        )  # fmt: skip

    def pay(self, entitlement: Entitlement, amount: int, paid_on: date = date(2022, 1, 20), **extra: object) -> Payment:
        values = {"voucher": "PC-01", "method": PaymentMethod.CASH, "today": TODAY, **extra}
        return payment_record(actor=self.city_admin, entitlement=entitlement, amount=amount, paid_on=paid_on, **values)  # type: ignore[arg-type]
