"""The ward map's data: each ward's shape (`dashboards.shapes`), its latest epidemic level and a few indicators,
and the list a click on the ward opens — as one GeoJSON FeatureCollection the page embeds.

A fixed number of queries whatever the data: the shapes (cached), one grouped read of the daily summary table for
all the wards, the latest assessments, the populations and the vaccination tallies.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from phongdich.areas.models import Area, Level
from phongdich.cases.models import Status
from phongdich.contacts.models import ContactStatus
from phongdich.dashboards.shapes import ShapeSet, WardShape, ward_shapes
from phongdich.levels.models import LEVEL_COLOURS
from phongdich.levels.selectors import latest_levels
from phongdich.reports import series
from phongdich.vaccination.coverage import TOTAL_18, coverage_row, denominators
from phongdich.vaccination.coverage import ward_counts as coverage_counts

NO_LEVEL_COLOUR = "#9e9e9e"
WINDOW_DAYS = 7
SCHEMATIC_LABEL = _("Sơ đồ ô phường/xã (không phải ranh giới thật)")


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str
    # The list a click on a ward opens, as a URL to which "ward=<id>" is appended.
    list_base: str


@dataclass(frozen=True)
class WardRow:
    shape: WardShape
    population: int | None
    level: int | None
    level_cell: str  # which rule set (and matrix cell) produced the level, for the tooltip and the table
    values: dict[str, float | int | None]
    urls: dict[str, str]


@dataclass(frozen=True)
class WardMap:
    indicators: list[Indicator]
    rows: list[WardRow]
    shapes: ShapeSet
    start: date
    end: date

    @property
    def schematic(self) -> bool:
        return any(row.shape.schematic for row in self.rows)

    @property
    def placed(self) -> int:
        return sum(1 for row in self.rows if row.shape.placed)

    def geojson(self) -> dict[str, Any]:
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": row.shape.geometry,
                    "properties": {
                        "id": row.shape.ward_id, "code": row.shape.code, "name": row.shape.name,
                        "district": row.shape.district_name, "schematic": row.shape.schematic,
                        "placed": row.shape.placed, "level": row.level, "level_cell": row.level_cell,
                        "values": row.values, "urls": row.urls,
                    },
                }
                for row in self.rows
            ],
        }  # fmt: skip

    def legend(self) -> dict[str, Any]:
        return {
            "levels": [{"level": n, "colour": c} for n, c in LEVEL_COLOURS.items()],
            "none": NO_LEVEL_COLOUR,
            "indicators": [{"key": i.key, "label": str(i.label), "unit": str(i.unit)} for i in self.indicators],
        }


def indicators(*, start: date, end: date) -> list[Indicator]:
    days = {"confirmed_from": start.strftime("%d/%m/%Y"), "confirmed_to": end.strftime("%d/%m/%Y")}
    cases, contacts = reverse("cases:list"), reverse("contacts:list")
    return [
        Indicator("level", str(_("Cấp độ dịch")), "", f"{cases}?"),
        Indicator("cases_100k", str(_("Ca mới trên 100.000 dân, 7 ngày")), str(_("ca/100.000")), f"{cases}?{urlencode(days)}&"),
        Indicator("new_7d", str(_("Ca mới trong 7 ngày")), str(_("ca")), f"{cases}?{urlencode(days)}&"),
        Indicator("treating", str(_("Đang điều trị")), str(_("người")), f"{cases}?status={Status.ACTIVE}&"),
        Indicator("quarantine", str(_("F1 đang cách ly")), str(_("người")), f"{contacts}?status={ContactStatus.QUARANTINE}&"),
        Indicator("coverage", str(_("Từ 18 tuổi đã tiêm ít nhất 1 mũi")), "%", f"{reverse('vaccination:due')}?"),
    ]  # fmt: skip


def _province_of(area: Area) -> Area:
    node = area
    while node.level != Level.PROVINCE and node.parent is not None:
        node = node.parent
    return node


def _in_area(shape: WardShape, area: Area) -> bool:
    if area.level == Level.WARD:
        return shape.ward_id == area.pk
    if area.level == Level.DISTRICT:
        return shape.district_id == area.pk
    return True


def _coverage(ward_ids: list[int], on: date) -> dict[int, float | None]:
    """% of people ≥ 18 with at least one dose, per ward, from the vaccination tallies (two grouped queries)."""
    wards = [Area(pk=pk, level=Level.WARD) for pk in ward_ids]
    counts = coverage_counts(wards=ward_ids, on=on)
    denoms = denominators(areas=wards, on=on)
    return {w.pk: coverage_row(w, counts.get(w.pk, {}), denoms).cells[TOTAL_18].pct_vaccinated for w in wards}


def ward_map(*, area: Area, end: date, today: date) -> WardMap:
    """The wards of `area` (the user's scope or a district/ward inside it) with their values over the 7 report
    days ending at `end`, stocks at `end`, coverage at `today`."""
    shapes = ward_shapes(province=_province_of(area))
    chosen = [s for s in shapes.shapes if _in_area(s, area)]
    ids = [s.ward_id for s in chosen]
    start = end - timedelta(days=WINDOW_DAYS - 1)
    sums = series.by_ward(wards=ids, start=start, end=end)
    populations = dict(Area.objects.filter(pk__in=ids).values_list("pk", "population")) if ids else {}
    levels = latest_levels(area_ids=ids) if ids else {}
    coverage = _coverage(ids, today) if ids else {}
    listed = indicators(start=start, end=end)
    rows = []
    for shape in chosen:
        totals, population = sums[shape.ward_id], populations.get(shape.ward_id)
        assessment = levels.get(shape.ward_id)
        values: dict[str, float | int | None] = {
            "level": assessment.level if assessment else None,
            "cases_100k": round(totals.new_total * 100_000 / population, 1) if population else None,
            "new_7d": totals.new_total,
            "treating": totals.treating,
            "quarantine": totals.quarantine,
            "coverage": coverage.get(shape.ward_id),
        }
        cell = ""
        if assessment:
            cell = f"{assessment.rule_set} v{assessment.rule_version}, {assessment.cutoff_on:%d/%m/%Y}"
            label = assessment.cell_label
            cell += f": {label}" if label else ""
        rows.append(
            WardRow(
                shape=shape, population=population, level=values["level"], level_cell=cell, values=values,  # type: ignore[arg-type]
                urls={i.key: f"{i.list_base}ward={shape.ward_id}" for i in listed},
            )
        )  # fmt: skip
    return WardMap(indicators=listed, rows=rows, shapes=shapes, start=start, end=end)
