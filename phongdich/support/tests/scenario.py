"""One small city of allowances with hand-computed answers, shared by the report, view and API tests.

Deadline 31/01/2022 (the day before Tết Nhâm Dần):
  Phúc Xá (A1): e1 X 01–10/01 1,500,000, paid 1,000,000 on 20/01 and 500,000 on 05/02 (after the deadline)
                e2 Y 01–31/01 4,650,000, paid in full 28/01
                e3 team member 12/2021 1,000,000 (a month), paid 25/01 then the payment cancelled
                e4 Z 25/01–05/02 1,800,000, ends after the deadline, unpaid
  Trúc Bạch (A2): e5 W 10–19/01 1,500,000, paid in full on the deadline day 31/01
  Phúc Tân (B1): e6 V 01–20/01 3,000,000 unpaid; e7 V (same person, meal rate 80,000) 01–10/01 800,000 paid 15/01
"""

from datetime import date

from phongdich.support.models import Beneficiary, Unit
from phongdich.support.services import entitlement_create, payment_cancel
from phongdich.support.tests.base import TODAY, SupportTestCase


class ScenarioTestCase(SupportTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        self = cls()
        cls.meal_rate = cls.make_rate(
            name="Tiền ăn chốt kiểm soát", beneficiary=Beneficiary.FRONTLINE, unit=Unit.PER_DAY, amount=80_000,
            valid_from=date(2021, 1, 1), document="NQ 01/2020/NQ-HĐND",
        )  # fmt: skip
        cls.e1 = self.named(full_name="Nguyễn Văn Xuân", phone="0911000001")
        self.pay(cls.e1, 1_000_000, paid_on=date(2022, 1, 20))
        self.pay(cls.e1, 500_000, paid_on=date(2022, 2, 5))
        cls.e2 = self.named(full_name="Phạm Thị Yến", phone="0911000002", end_on=date(2022, 1, 31))
        self.pay(cls.e2, 4_650_000, paid_on=date(2022, 1, 28))
        cls.team = self.make_team(members=("Hoàng Văn Hải",))
        cls.e3 = entitlement_create(
            actor=cls.city_admin, rate=cls.month_rate, team_member=cls.team.members.get(), start_on=date(2021, 12, 1),
            end_on=date(2021, 12, 31), today=TODAY,
        )  # fmt: skip
        payment = self.pay(cls.e3, 1_000_000, paid_on=date(2022, 1, 25))
        payment_cancel(actor=cls.city_admin, payment=payment, reason="Chi nhầm tổ")
        cls.e4 = self.named(
            full_name="Đỗ Văn Zũng", phone="0911000004", start_on=date(2022, 1, 25), end_on=date(2022, 2, 5)
        )
        cls.e5 = self.named(
            ward=cls.ward_a2, full_name="Vũ Thị Wân", phone="0911000005", start_on=date(2022, 1, 10),
            end_on=date(2022, 1, 19),
        )  # fmt: skip
        self.pay(cls.e5, 1_500_000, paid_on=date(2022, 1, 31))
        cls.e6 = self.named(ward=cls.ward_b1, full_name="Lý Văn Vinh", phone="0911000006", end_on=date(2022, 1, 20))
        cls.e7 = self.named(
            ward=cls.ward_b1, full_name="Lý Văn Vinh", phone="0911000006", rate=cls.meal_rate, end_on=date(2022, 1, 10)
        )
        self.pay(cls.e7, 800_000, paid_on=date(2022, 1, 15))
