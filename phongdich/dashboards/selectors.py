"""Reads of the dashboards: the area a dashboard is about, and each block's figures with the list behind them.

Nothing here scans raw tables: the curve and the tiers come from the daily summary table (`reports.series`), the
alerts and forgotten F0 from the follow-up columns and the alert queue index (`monitoring.followup.ward_daily`),
stock, beds and coverage from their small current-state tables. The number of queries does not grow with the data.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from phongdich.accounts.models import User
from phongdich.areas.models import Area, Level
from phongdich.areas.scoping import area_contains, in_area
from phongdich.care.models import Package, Stock, Tier
from phongdich.care.selectors import facility_list, facility_totals
from phongdich.cases.models import Case, Source, Status
from phongdich.monitoring.followup import ALL_AT_HOME
from phongdich.reports import series
from phongdich.reports.days import window_end, window_start
from phongdich.vaccination.coverage import TOTAL_18, TOTAL_50, CoverageRow, coverage_table

CURVE_DAYS = 30
AVERAGE_DAYS = 7
# A station holding fewer packages of a kind than this is shown as running low.
LOW_STOCK = 10


# --- scope and links ---------------------------------------------------------------------------------------------


def dashboard_scope(*, user: User, district_id: int | None = None, ward_id: int | None = None) -> Area:
    """The area the dashboard shows: the user's own, or a district/ward inside it (404 outside)."""
    if user.area is None:
        raise Http404
    chosen_id, level = (ward_id, Level.WARD) if ward_id else (district_id, Level.DISTRICT)
    if not chosen_id:
        return user.area
    area = Area.objects.select_related("parent__parent").filter(pk=chosen_id, level=level).first()
    if area is None or not area_contains(user.area, area):
        raise Http404
    return area


def scope_params(area: Area) -> dict[str, int]:
    """The GET parameters that narrow a list to `area` (nothing for the city: the list's default is the user's area)."""
    if area.level == Level.WARD:
        return {"ward": area.pk}
    if area.level == Level.DISTRICT:
        return {"district": area.pk}
    return {}


def list_url(name: str, area: Area, **query: object) -> str:
    params = {**{k: v for k, v in query.items() if v not in (None, "")}, **scope_params(area)}
    return reverse(name) + (f"?{urlencode(params)}" if params else "")


def _district_of(area: Area) -> Area | None:
    if area.level == Level.DISTRICT:
        return area
    if area.level == Level.WARD:
        return area.parent
    return None


# --- the epidemic curve -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CurvePoint:
    day: date
    community: int
    quarantine: int
    other: int
    late: int  # entered days after the positive test: shown apart, never in the day's count
    positive: int  # by positive-test date
    average: float  # trailing 7-day mean of the day's count (community + quarantine + other)

    @property
    def total(self) -> int:
        return self.community + self.quarantine + self.other


@dataclass(frozen=True)
class Curve:
    points: list[CurvePoint]

    @property
    def peak(self) -> CurvePoint | None:
        best = max(self.points, key=lambda p: (p.total, p.day), default=None)
        return best if best is not None and best.total else None

    @property
    def late_total(self) -> int:
        return sum(p.late for p in self.points)

    def chart(self) -> dict[str, list]:
        return {
            "labels": [p.day.strftime("%d/%m") for p in self.points],
            "community": [p.community for p in self.points],
            "quarantine": [p.quarantine for p in self.points],
            "other": [p.other for p in self.points],
            "late": [p.late for p in self.points],
            "average": [p.average for p in self.points],
        }


def epidemic_curve(*, area: Area, end: date, days: int = CURVE_DAYS) -> tuple[Curve, series.DayRow]:
    """New cases per report day over the `days` ending at `end`, and the last day's row (its stocks are "now")."""
    start = end - timedelta(days=days - 1)
    rows = series.daily(area=area, start=start - timedelta(days=AVERAGE_DAYS - 1), end=end)
    points = []
    for index in range(AVERAGE_DAYS - 1, len(rows)):
        row = rows[index]
        window = rows[index - AVERAGE_DAYS + 1 : index + 1]
        average = round(sum(r.new_total for r in window) / AVERAGE_DAYS, 1)
        points.append(
            CurvePoint(
                day=row.day, community=row.new_community, quarantine=row.new_quarantine, other=row.new_other,
                late=row.new_late, positive=row.positive, average=average,
            )
        )  # fmt: skip
    return Curve(points=points), rows[-1]


# --- under treatment by place -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TierLine:
    key: str
    label: str
    count: int
    share: float | None  # % of everyone under treatment
    url: str


def tier_distribution(*, area: Area, now: series.DayRow) -> list[TierLine]:
    """People under treatment at home and in tiers 1–3 at the end of the current report day, with shares."""
    district = _district_of(area)
    facilities = {"district": district.pk} if district else {}
    counts = [("home", _("Tại nhà"), now.home)] + [
        (f"tier{tier.value}", str(tier.label), getattr(now, f"tier{tier.value}")) for tier in Tier
    ]
    total = sum(c for _key, _label, c in counts)
    lines = []
    for key, label, count in counts:
        if key == "home":
            url = list_url("monitoring:followup", area, reason=ALL_AT_HOME)
        else:
            url = reverse("care:facilities") + "?" + urlencode({"tier": key[-1], **facilities})
        lines.append(TierLine(key, label, count, round(100 * count / total, 1) if total else None, url))
    return lines


# --- medicine stock ---------------------------------------------------------------------------------------------


@dataclass
class StockSummary:
    package: str
    label: str
    balance: int = 0
    dispensed: int = 0
    stations: int = 0
    low: int = 0  # stations holding fewer than LOW_STOCK


def stock_summary(*, area: Area) -> list[StockSummary]:
    """Packages held in the area (ward stations and district centres), and how many stations run low; one query."""
    if area.level == Level.WARD:
        scope = Q(area_id=area.pk)
    elif area.level == Level.DISTRICT:
        scope = Q(area_id=area.pk) | Q(area__parent_id=area.pk)
    else:
        scope = Q(area__parent_id=area.pk) | Q(area__parent__parent_id=area.pk)
    rows = (
        Stock.objects.filter(scope)
        .values("package")
        .annotate(
            held=Sum("balance"), given=Sum("dispensed"), stations=Count("id"),
            low=Count("id", filter=Q(balance__lt=LOW_STOCK)),
        )
        .order_by()
    )  # fmt: skip
    by_package = {row["package"]: row for row in rows}
    result = []
    for package in Package:
        row = by_package.get(package.value, {})
        result.append(
            StockSummary(
                package=package.value, label=str(package.label), balance=row.get("held") or 0,
                dispensed=row.get("given") or 0, stations=row.get("stations") or 0, low=row.get("low") or 0,
            )
        )  # fmt: skip
    return result


# --- beds -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BedLine:
    tier: int
    label: str
    facilities: int
    beds: int
    occupied: int
    icu_beds: int
    icu_occupied: int
    url: str

    @property
    def free(self) -> int:
        return self.beds - self.occupied

    @property
    def occupancy(self) -> float | None:
        return round(100 * self.occupied / self.beds, 1) if self.beds else None


def bed_occupancy(*, user: User, area: Area) -> list[BedLine]:
    """Beds and occupancy by tier: the city's facilities, or the district's (a ward sees its district's)."""
    district = _district_of(area)
    rows = {
        r["tier"]: r for r in facility_totals(facility_list(user=user, district_id=district.pk if district else None))
    }
    lines = []
    for tier in Tier:
        row = rows.get(tier.value, {})
        query = {"tier": tier.value, **({"district": district.pk} if district else {})}
        lines.append(
            BedLine(
                tier=tier.value, label=str(tier.label), facilities=row.get("count", 0), beds=row.get("beds") or 0,
                occupied=row.get("occupied") or 0, icu_beds=row.get("icu_beds") or 0,
                icu_occupied=row.get("icu_occupied") or 0, url=reverse("care:facilities") + "?" + urlencode(query),
            )
        )  # fmt: skip
    return lines


def active_cases_url(area: Area) -> str:
    return list_url("cases:list", area, status=Status.ACTIVE)


# --- vaccination coverage ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageLine:
    area: Area
    adult_first: float | None  # % of people ≥ 18 with at least one dose
    adult_primary: float | None  # % of people ≥ 18 with the primary course
    over_50_primary: float | None  # % of people ≥ 50 with the primary course
    vaccinated: int  # people ≥ 18 with at least one dose
    url: str


@dataclass(frozen=True)
class CoverageSummary:
    total: CoverageLine
    rows: list[CoverageLine]  # per district of the city, per ward of a district
    url: str


def _coverage_line(row: CoverageRow, url: str) -> CoverageLine:
    adult, over_50 = row.cells[TOTAL_18], row.cells[TOTAL_50]
    return CoverageLine(
        area=row.area, adult_first=adult.pct_vaccinated, adult_primary=adult.pct_primary,
        over_50_primary=over_50.pct_primary, vaccinated=adult.counts.vaccinated, url=url,
    )  # fmt: skip


def coverage_summary(*, user: User, area: Area) -> CoverageSummary:
    """Today's coverage of the area from the vaccination tallies (`vaccination.coverage.coverage_table`)."""
    district = _district_of(area)
    if district is None or (user.area is not None and user.area.level == Level.WARD):
        table = coverage_table(user=user)
    else:
        table = coverage_table(user=user, district_id=district.pk)

    def url(row_area: Area) -> str:
        if row_area.level == Level.WARD:
            return reverse("vaccination:due") + "?" + urlencode({"ward": row_area.pk})
        return reverse("vaccination:coverage") + (
            f"?district={row_area.pk}" if row_area.level == Level.DISTRICT else ""
        )

    rows = [_coverage_line(r, url(r.area)) for r in table.rows]
    if area.level == Level.WARD:
        total = next((line for line in rows if line.area.pk == area.pk), None)
        total = total or _coverage_line(table.total, url(area))
        return CoverageSummary(total=total, rows=[total], url=url(area))
    return CoverageSummary(total=_coverage_line(table.total, url(area)), rows=rows, url=url(area))


# --- the cases behind a day's count -----------------------------------------------------------------------------

KIND_ALL = "all"
KIND_LATE = "late"
REPORTED_KINDS = {
    KIND_ALL: _("Ca mới (không tính nhập muộn)"),
    "community": _("Phát hiện tại cộng đồng"),
    "quarantine": _("Đang cách ly / F1 chuyển F0"),
    "other": _("Từ tỉnh khác đến"),
    KIND_LATE: _("Nhập muộn, bổ sung"),
}
MAX_REPORTED_DAYS = 31


def reported_cases(*, area: Area, start: date, end: date, kind: str) -> QuerySet[Case]:
    """The cases a curve count is made of: entered in the report days `start`..`end` (the 18:00 → 18:00 windows of
    `reports.days`), by source, the late entries (positive more than PHONGDICH_LATE_ENTRY_DAYS before their report
    day) apart — the same rules as `reports.tally_sources.add_new_cases`. Each day is its own condition, so the
    non-late ones read the `case_day` index (confirmed_on within a few days) rather than every case."""
    late_days = settings.PHONGDICH_LATE_ENTRY_DAYS
    days = Q(pk__in=[])
    day = start
    while day <= end:
        entered = Q(created_at__gte=window_start(day), created_at__lt=window_end(day))
        on_time = Q(confirmed_on__gte=day - timedelta(days=late_days))
        days |= entered & (~on_time if kind == KIND_LATE else on_time)
        day += timedelta(days=1)
    cases = Case.objects.filter(in_area(area), days)
    if kind == "community":
        cases = cases.filter(source=Source.COMMUNITY)
    elif kind == "quarantine":
        cases = cases.filter(source__in=[Source.QUARANTINE, Source.F1])
    elif kind == "other":
        cases = cases.exclude(source__in=[Source.COMMUNITY, Source.QUARANTINE, Source.F1])
    return cases.select_related("person", "ward__parent").order_by("-created_at", "-id")
