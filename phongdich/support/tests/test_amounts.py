from datetime import date
from fractions import Fraction

from django.test import SimpleTestCase

from phongdich.support.amounts import default_deadline, entitlement_amount, month_fraction, short_name
from phongdich.support.models import Unit


class AmountTests(SimpleTestCase):
    def amount(self, unit: str, start: date, end: date, days: int | None = None, rate: int = 1_000_000) -> int:
        days = days if days is not None else (end - start).days + 1
        return entitlement_amount(unit=unit, rate_amount=rate, start_on=start, end_on=end, days_served=days)

    def test_per_day_multiplies_days_served(self) -> None:
        assert self.amount(Unit.PER_DAY, date(2022, 1, 1), date(2022, 1, 10), rate=150_000) == 1_500_000
        assert self.amount(Unit.PER_DAY, date(2022, 1, 1), date(2022, 1, 10), days=7, rate=150_000) == 1_050_000
        assert self.amount(Unit.PER_DAY, date(2022, 1, 5), date(2022, 1, 5), rate=80_000) == 80_000

    def test_per_month_whole_and_partial_months(self) -> None:
        assert month_fraction(date(2021, 12, 1), date(2021, 12, 31)) == 1
        assert month_fraction(date(2021, 12, 1), date(2022, 1, 31)) == 2
        assert month_fraction(date(2022, 1, 17), date(2022, 1, 31)) == Fraction(15, 31)
        # 15/12–14/01: 17/31 of December + 14/31 of January = exactly one month.
        assert month_fraction(date(2021, 12, 15), date(2022, 1, 14)) == 1
        # February 2022 has 28 days: 14 days are half a month.
        assert self.amount(Unit.PER_MONTH, date(2022, 2, 1), date(2022, 2, 14)) == 500_000
        # 10/31 × 1,000,000 = 322,580.6… → 322,581 (nearest đồng, half up).
        assert self.amount(Unit.PER_MONTH, date(2022, 1, 22), date(2022, 1, 31)) == 322_581
        # Rounded once on the total, not month by month: 10/31 + 10/28 of 1,000,000 = 679,723.5… → 679,724.
        assert self.amount(Unit.PER_MONTH, date(2022, 1, 22), date(2022, 2, 10)) == 679_724

    def test_once_ignores_the_period(self) -> None:
        assert self.amount(Unit.ONCE, date(2022, 1, 1), date(2022, 1, 31), rate=500_000) == 500_000

    def test_short_name(self) -> None:
        assert short_name("Nguyễn Văn An") == "Nguyễn V. A."
        assert short_name("Đặng Thị Lan") == "Đặng T. L."
        assert short_name("  Lê   Ánh  ") == "Lê Á."
        assert short_name("An") == "An"

    def test_default_deadline_is_the_day_before_the_next_tet(self) -> None:
        assert default_deadline(date(2022, 1, 15)) == date(2022, 1, 31)
        assert default_deadline(date(2021, 12, 1)) == date(2022, 1, 31)
        assert default_deadline(date(2022, 2, 1)) == date(2023, 1, 21)
        assert default_deadline(date(2030, 5, 1)) == date(2030, 12, 31)
