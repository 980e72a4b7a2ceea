"""One dashboard (city, district or ward): every block's figures, each with the list behind it, and the chart data."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.accounts.models import User
from phongdich.areas.models import Area, Level
from phongdich.contacts.models import ContactStatus
from phongdich.dashboards.mapdata import NO_LEVEL_COLOUR
from phongdich.dashboards.selectors import (
    KIND_ALL,
    KIND_LATE,
    BedLine,
    CoverageSummary,
    Curve,
    CurvePoint,
    StockSummary,
    TierLine,
    active_cases_url,
    bed_occupancy,
    coverage_summary,
    epidemic_curve,
    list_url,
    stock_summary,
    tier_distribution,
)
from phongdich.levels.models import LEVEL_COLOURS, Assessment
from phongdich.levels.models import Level as EpidemicLevel
from phongdich.levels.selectors import latest_levels
from phongdich.monitoring.followup import WardDaily, ward_daily
from phongdich.reports import series
from phongdich.reports.days import current_report_day, day_ends_at


@dataclass(frozen=True)
class Card:
    label: str
    value: int | float | str
    url: str
    urgent: bool = False


@dataclass(frozen=True)
class CurveRow:
    point: CurvePoint
    urls: dict[str, str]  # community, quarantine, other, total, late (report day), positive (positive-test date)


@dataclass(frozen=True)
class LevelCount:
    level: int | None
    label: str
    colour: str
    wards: int
    url: str  # the levels table of the area, at that level


@dataclass(frozen=True)
class Dashboard:
    area: Area
    report_day: date
    day_ends_at: str  # the reporting day's boundary, "18:00" in Hà Nội
    cards: list[Card]
    curve: Curve
    curve_rows: list[CurveRow]
    tiers: list[TierLine]
    daily: WardDaily
    stock: list[StockSummary]
    beds: list[BedLine]
    coverage: CoverageSummary
    assessment: Assessment | None
    # The ward map is loaded after the page (`map_url`, htmx): the city's 579 cells and their values cost as much as
    # the rest of the dashboard. Empty for a ward.
    map_url: str
    level_counts: list[LevelCount]

    def charts(self) -> dict[str, Any]:
        """What static/js/dashboard.js draws; every figure is also in a table on the page."""
        return {
            "curve": self.curve.chart(),
            "tiers": {"labels": [t.label for t in self.tiers], "values": [t.count for t in self.tiers]},
            "beds": {
                "labels": [b.label for b in self.beds],
                "occupied": [b.occupied for b in self.beds],
                "free": [b.free for b in self.beds],
            },
            "coverage": {
                "labels": [c.area.name for c in self.coverage.rows],
                "first": [c.adult_first for c in self.coverage.rows],
                "primary": [c.adult_primary for c in self.coverage.rows],
            },
        }


def reported_url(area: Area, *, start: date, end: date, kind: str) -> str:
    return list_url(
        "dashboards:reported", area, start=start.strftime("%d/%m/%Y"), end=end.strftime("%d/%m/%Y"), kind=kind
    )


def _curve_rows(area: Area, curve: Curve) -> list[CurveRow]:
    rows = []
    for point in reversed(curve.points):
        day = point.day

        def reported(kind: str, day: date = day) -> str:
            return reported_url(area, start=day, end=day, kind=kind)

        shown = day.strftime("%d/%m/%Y")
        urls = {kind: reported(kind) for kind in ("community", "quarantine", "other", KIND_LATE)}
        urls["total"] = reported(KIND_ALL)
        urls["positive"] = list_url("cases:list", area, confirmed_from=shown, confirmed_to=shown)
        rows.append(CurveRow(point, urls))
    return rows


def _level_counts(area: Area, wards: list[int], levels: dict[int, Assessment]) -> list[LevelCount]:
    """How many wards of the area stand at each level by their latest assessment."""
    if area.level == Level.WARD:
        return []
    table = reverse("levels:table")
    district = {"district": area.pk} if area.level == Level.DISTRICT else {}
    counts: dict[int | None, int] = {}
    for ward_id in wards:
        assessment = levels.get(ward_id)
        level = assessment.level if assessment else None
        counts[level] = counts.get(level, 0) + 1
    lines = [
        LevelCount(
            level,
            str(level.label),
            LEVEL_COLOURS[level.value],
            counts.get(level.value, 0),
            f"{table}?{urlencode({'level': level.value, **district})}",
        )
        for level in EpidemicLevel
    ]
    lines.append(LevelCount(None, _("Chưa đánh giá"), NO_LEVEL_COLOUR, counts.get(None, 0), table))
    return lines


def _scope_ids(area: Area) -> dict[str, int | None]:
    if area.level == Level.WARD:
        return {"ward_id": area.pk, "district_id": None}
    if area.level == Level.DISTRICT:
        return {"ward_id": None, "district_id": area.pk}
    return {"ward_id": None, "district_id": None}


def dashboard(*, user: User, area: Area, now: datetime | None = None) -> Dashboard:
    """The dashboard of `area` (the user's area or a district/ward inside it, checked by `dashboard_scope`)."""
    now = now or timezone.now()
    day = current_report_day(now)
    curve, current = epidemic_curve(area=area, end=day)
    daily = ward_daily(user=user, now=now, **_scope_ids(area))
    wards = series.area_ward_ids(area) if area.level != Level.WARD else []
    levels = latest_levels(area_ids=[area.pk, *wards])  # the area's own and its wards', one query
    week = curve.points[-7:]
    followup = [item for item in daily.items if item.key in ("silent", "release_due")]
    cards = [
        Card(_("F0 đang điều trị"), current.treating, active_cases_url(area)),
        Card(_("Ca mới trong ngày báo cáo"), current.new_total, reported_url(area, start=day, end=day, kind=KIND_ALL)),
        Card(
            _("Ca mới 7 ngày"),
            sum(p.total for p in week),
            reported_url(area, start=week[0].day, end=day, kind=KIND_ALL),
        ),
        Card(
            _("Nhập muộn, bổ sung (30 ngày, tính riêng)"),
            curve.late_total,
            reported_url(area, start=curve.points[0].day, end=day, kind=KIND_LATE),
        ),
        Card(
            _("F1 đang cách ly"), current.quarantine, list_url("contacts:list", area, status=ContactStatus.QUARANTINE)
        ),
        *(Card(i.label, i.count, i.url, urgent=i.key == "silent" and i.count > 0) for i in followup),
        *(
            Card(_("Cảnh báo %(level)s chưa xử lý") % {"level": i.label.lower()}, i.count, i.url, urgent=i.count > 0)
            for i in daily.alerts
        ),
    ]
    return Dashboard(
        area=area,
        report_day=day,
        day_ends_at=day_ends_at().strftime("%H:%M"),
        cards=cards,
        curve=curve,
        curve_rows=_curve_rows(area, curve),
        tiers=tier_distribution(area=area, now=current),
        daily=daily,
        stock=stock_summary(area=area),
        beds=bed_occupancy(user=user, area=area),
        coverage=coverage_summary(user=user, area=area),
        assessment=levels.get(area.pk),
        map_url="" if area.level == Level.WARD else list_url("dashboards:map", area, embed=1),
        level_counts=_level_counts(area, wards, levels),
    )
