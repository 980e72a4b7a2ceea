"""The one reading API over the daily summary table `WardDay`: days, totals and per-ward totals of any area.

Flows (new cases, released, alerts, requests …) are summed over the period; stocks (people under treatment at
home and in tiers 1–3, F1 in quarantine) are running sums of the moves in and out from the first day on record, so
the stock "at" a day is the state at the end of that day. Every function answers in at most 3 queries, whatever
the area (the city is all wards of the province).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, timedelta

from django.db.models import Case, IntegerField, Q, Sum, When

from phongdich.areas.models import Area
from phongdich.areas.scoping import ward_ids
from phongdich.reports.days import current_report_day, report_day
from phongdich.reports.models import WardDay

# Counts that happen on a day and are summed over a period.
FLOW_FIELDS = (
    "new_community", "new_quarantine", "new_other", "new_late", "positive", "released", "died",
    "alerts_opened", "alerts_handled", "alerts_handled_in_time",
    "contacts_new", "requests_new", "requests_answered", "requests_in_time",
)  # fmt: skip
# Moves in and out of a place; their running sums are the stocks (also summed as flows over a period).
MOVE_FIELDS = (
    "home_in", "home_out", "tier1_in", "tier1_out", "tier2_in", "tier2_out", "tier3_in", "tier3_out",
    "quarantine_in", "quarantine_out",
)  # fmt: skip
COLUMNS = FLOW_FIELDS + MOVE_FIELDS
PLACES = ("home", "tier1", "tier2", "tier3")
__all__ = [
    "COLUMNS", "FLOW_FIELDS", "MOVE_FIELDS", "DayRow", "Stocks", "Totals", "area_ward_ids", "by_ward",
    "current_report_day", "daily", "report_day", "totals",
]  # fmt: skip


@dataclass
class Stocks:
    """People under treatment by place and F1 in quarantine at the end of a day."""

    home: int = 0
    tier1: int = 0
    tier2: int = 0
    tier3: int = 0
    quarantine: int = 0

    @property
    def treating(self) -> int:
        return self.home + self.tier1 + self.tier2 + self.tier3

    def add_moves(self, row: dict[str, int]) -> None:
        for place in (*PLACES, "quarantine"):
            value = getattr(self, place) + (row.get(f"{place}_in") or 0) - (row.get(f"{place}_out") or 0)
            setattr(self, place, value)


@dataclass
class _Sums:
    new_community: int = 0
    new_quarantine: int = 0
    new_other: int = 0
    new_late: int = 0
    positive: int = 0
    released: int = 0
    died: int = 0
    alerts_opened: int = 0
    alerts_handled: int = 0
    alerts_handled_in_time: int = 0
    contacts_new: int = 0
    requests_new: int = 0
    requests_answered: int = 0
    requests_in_time: int = 0
    home_in: int = 0
    home_out: int = 0
    tier1_in: int = 0
    tier1_out: int = 0
    tier2_in: int = 0
    tier2_out: int = 0
    tier3_in: int = 0
    tier3_out: int = 0
    quarantine_in: int = 0
    quarantine_out: int = 0
    stocks: Stocks = field(default_factory=Stocks)

    @property
    def new_total(self) -> int:
        """New cases counted on their report day (community + quarantine + other), without the late entries."""
        return self.new_community + self.new_quarantine + self.new_other

    @property
    def new_with_late(self) -> int:
        return self.new_total + self.new_late

    # Stocks, readable as attributes of the row (`row.home`, `row.treating`, `row.quarantine`).
    @property
    def home(self) -> int:
        return self.stocks.home

    @property
    def tier1(self) -> int:
        return self.stocks.tier1

    @property
    def tier2(self) -> int:
        return self.stocks.tier2

    @property
    def tier3(self) -> int:
        return self.stocks.tier3

    @property
    def treating(self) -> int:
        return self.stocks.treating

    @property
    def quarantine(self) -> int:
        return self.stocks.quarantine

    def as_dict(self) -> dict[str, object]:
        values: dict[str, object] = {name: getattr(self, name) for name in COLUMNS}
        values.update(
            new_total=self.new_total, new_with_late=self.new_with_late, home=self.home, tier1=self.tier1,
            tier2=self.tier2, tier3=self.tier3, treating=self.treating, quarantine=self.quarantine,
        )  # fmt: skip
        return values


@dataclass
class DayRow(_Sums):
    """One day of an area: the day's flows and moves, and the stocks at the end of the day."""

    day: date = date.min

    def as_dict(self) -> dict[str, object]:
        return {"day": self.day, **super().as_dict()}


@dataclass
class Totals(_Sums):
    """A period of an area: flows and moves summed over it, stocks at its last day."""

    start: date = date.min
    end: date = date.min

    def as_dict(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, **super().as_dict()}


_SUM_NAMES = {f.name for f in fields(_Sums)} - {"stocks"}
assert set(COLUMNS) == _SUM_NAMES


def area_ward_ids(area: Area) -> list[int]:
    """The ids of the wards inside `area` (one query)."""
    return list(ward_ids(area).values_list("pk", flat=True))


def _rows(ward_list: list[int]):  # type: ignore[no-untyped-def]
    if len(ward_list) == 1:
        return WardDay.objects.filter(ward_id=ward_list[0])
    return WardDay.objects.filter(ward_id__in=ward_list)


def _period_sums(start: date) -> dict[str, Sum]:
    """Flows counted from `start` on (`p_<column>`); moves also counted from the beginning (`all_<move>`, their
    running sums are the stocks)."""
    in_period = Q(day__gte=start)
    sums: dict[str, Sum] = {
        f"p_{name}": Sum(Case(When(in_period, then=name), default=0, output_field=IntegerField())) for name in COLUMNS
    }
    sums.update({f"all_{name}": Sum(name) for name in MOVE_FIELDS})
    return sums


def _fill(target: _Sums, row: dict[str, int | None]) -> None:
    for name in COLUMNS:
        setattr(target, name, row.get(f"p_{name}") or 0)
    target.stocks.add_moves({name: row.get(f"all_{name}") or 0 for name in MOVE_FIELDS})


def daily(*, area: Area, start: date, end: date) -> list[DayRow]:
    """One row per day from `start` to `end` (days without data as zeros) for the area's wards (3 queries)."""
    wards = area_ward_ids(area)
    if not wards or end < start:
        return [DayRow(day=start + timedelta(days=n)) for n in range((end - start).days + 1)]
    rows = _rows(wards)
    before = rows.filter(day__lt=start).aggregate(**{name: Sum(name) for name in MOVE_FIELDS})
    stocks = Stocks()
    stocks.add_moves({name: value or 0 for name, value in before.items()})
    by_day = {
        row["day"]: row
        for row in rows.filter(day__gte=start, day__lte=end)
        .values("day")
        .annotate(**{name: Sum(name) for name in COLUMNS})
        .order_by()
    }
    result = []
    for n in range((end - start).days + 1):
        day = start + timedelta(days=n)
        row = by_day.get(day, {})
        stocks.add_moves(row)
        item = DayRow(day=day, stocks=Stocks(**vars(stocks)))
        for name in COLUMNS:
            setattr(item, name, row.get(name) or 0)
        result.append(item)
    return result


def totals(*, area: Area, start: date, end: date) -> Totals:
    """The period's flows summed and the stocks at `end`, for the area's wards (2 queries)."""
    wards = area_ward_ids(area)
    result = Totals(start=start, end=end)
    if not wards:
        return result
    _fill(result, _rows(wards).filter(day__lte=end).aggregate(**_period_sums(start)))
    return result


def by_ward(*, wards: list[int], start: date, end: date) -> dict[int, Totals]:
    """`Totals` of each of `wards` in one grouped query; wards without any data get zeros."""
    result = {ward: Totals(start=start, end=end) for ward in wards}
    if not wards:
        return result
    grouped = _rows(list(wards)).filter(day__lte=end).values("ward_id").annotate(**_period_sums(start)).order_by()
    for row in grouped:
        _fill(result[row["ward_id"]], row)
    return result
