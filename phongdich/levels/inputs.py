"""The indicators of every ward, district and the city for one cut-off day, in a handful of grouped queries.

* Cases, deaths, oxygen proxy: `reports.series.by_ward` over the window (the daily summary table, one query);
  a district or the city sums its wards.
* Population: `Area.population`; a district or the city without its own figure (or with population_source
  "wards") uses the sum of its wards' figures, and the inputs say how many wards had none.
* Vaccination: per-ward counts by age band (`vaccination.coverage`), today's tallies when the cut-off is
  yesterday or later (the weekly run), otherwise a recount by dose dates; denominators in force on that day.
* Capacity: free beds of the active facilities of the area's district (the city's for the city), free ICU beds
  of the whole city (tier-3 hospitals take patients from every district), and the share of wards with a
  home-care team or a mobile station (`teams.Team`). Facilities hold only their current occupancy.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import F, Q, Sum
from django.utils import timezone

from phongdich.areas.models import Area, Level
from phongdich.care.models import Facility
from phongdich.levels.evaluate import Indicators
from phongdich.reports.series import Totals, by_ward
from phongdich.teams.models import Team, TeamKind

# Vaccination counts per ward and age band and their row builder: the same code the coverage page uses.
from phongdich.vaccination.coverage import TOTAL_18, TOTAL_50, Counts, coverage_row, denominators, ward_counts

HOME_CARE_KINDS = (TeamKind.HOME_CARE, TeamKind.MOBILE_STATION)


@dataclass
class AreaInputs:
    area: Area
    indicators: Indicators
    facts: dict[str, Any] = field(default_factory=dict)  # stored with the assessment, beside the rates


def _pct(part: int, whole: int | None) -> float | None:
    return round(100 * part / whole, 2) if whole else None


def _per_100k(part: int, population: int | None) -> float | None:
    return round(part / population * 100000, 2) if population else None


def city_tree(city: Area) -> list[Area]:
    """The city, its districts and wards (one query)."""
    return list(
        Area.objects.filter(Q(pk=city.pk) | Q(parent_id=city.pk) | Q(parent__parent_id=city.pk)).order_by(
            "level", "code"
        )
    )


def _wards_of(tree: list[Area]) -> dict[int, list[int]]:
    """Each area's wards: a ward itself, a district its children, the city every ward."""
    result: dict[int, list[int]] = defaultdict(list)
    city = next(a for a in tree if a.level == Level.PROVINCE)
    for area in tree:
        if area.level == Level.WARD:
            result[area.pk].append(area.pk)
            result[area.parent_id].append(area.pk)  # type: ignore[index]
            result[city.pk].append(area.pk)
    return result


def _cases(totals: Totals, params: dict[str, Any]) -> int:
    count = totals.new_community if params["case_scope"] == "community" else totals.new_total
    return count + (totals.new_late if params["count_late"] else 0)


def _coverage(
    targets: list[Area], wards_of: dict[int, list[int]], wards: list[int], cutoff_on: date
) -> dict[int, dict]:
    today = timezone.localdate()
    on = today if cutoff_on >= today - timedelta(days=1) else cutoff_on
    per_ward = ward_counts(wards=wards, on=on)
    denoms = denominators(areas=targets, on=on)
    result = {}
    for area in targets:
        bands: dict[str, Counts] = defaultdict(Counts)
        for ward in wards_of.get(area.pk, []):
            for key, counts in per_ward.get(ward, {}).items():
                bands[key].add(counts)
        row = coverage_row(area, bands, denoms)
        adult, over_50 = row.cells[TOTAL_18], row.cells[TOTAL_50]
        result[area.pk] = {
            "coverage_on": on.isoformat(),
            "adult_population": adult.population, "adult_first_dose": adult.counts.vaccinated,
            "adult_primary": adult.counts.primary, "over_50_population": over_50.population,
            "over_50_primary": over_50.counts.primary,
            "adult_first_dose_pct": _pct(adult.counts.vaccinated, adult.population),
            "adult_primary_pct": _pct(adult.counts.primary, adult.population),
            "over_50_primary_pct": _pct(over_50.counts.primary, over_50.population),
        }  # fmt: skip
    return result


def _capacity(tree: list[Area], wards: list[int]) -> tuple[dict[int, tuple[int, int]], int, set[int]]:
    """Free beds and free ICU beds per district (one grouped query) and the wards ready for home care (one)."""
    districts = [a.pk for a in tree if a.level == Level.DISTRICT]
    beds = {
        row["district_id"]: (row["free"] or 0, row["free_icu"] or 0)
        for row in Facility.objects.filter(active=True, district_id__in=districts)
        .values("district_id")
        .annotate(free=Sum(F("beds") - F("occupied")), free_icu=Sum(F("icu_beds") - F("icu_occupied")))
        .order_by()
    }
    city_icu = sum(icu for _free, icu in beds.values())
    ready = set(
        Team.objects.filter(kind__in=HOME_CARE_KINDS, ward_id__in=wards)
        .order_by()
        .values_list("ward_id", flat=True)
        .distinct()
    )
    return beds, city_icu, ready


def area_inputs(
    *, city: Area, cutoff_on: date, params: dict[str, Any], areas: list[Area] | None = None
) -> list[AreaInputs]:
    """The indicators of `areas` (default: the city, all its districts and wards) for the window ending `cutoff_on`."""
    tree = city_tree(city)
    by_id = {a.pk: a for a in tree}
    wards_of = _wards_of(tree)
    targets = [by_id[a.pk] for a in areas if a.pk in by_id] if areas is not None else tree
    wards = sorted({w for a in targets for w in wards_of.get(a.pk, [])})
    start = cutoff_on - timedelta(days=int(params["window_days"]) - 1)
    totals = by_ward(wards=wards, start=start, end=cutoff_on)
    coverage = _coverage(targets, wards_of, wards, cutoff_on)
    beds, city_icu, ready = _capacity(tree, wards_of[city.pk])

    def population(area: Area) -> tuple[int | None, str, int]:
        members = [by_id[w].population for w in wards_of.get(area.pk, [])]
        missing = sum(1 for p in members if not p)
        if area.population and (area.level == Level.WARD or params.get("population_source") != "wards"):
            return area.population, "area", missing
        return (sum(p for p in members if p) or None), "wards", missing

    city_population = population(city)[0]
    result = []
    for area in targets:
        sums = Totals(start=start, end=cutoff_on)
        for ward in wards_of.get(area.pk, []):
            for name in (
                "new_community",
                "new_quarantine",
                "new_other",
                "new_late",
                "died",
                *params.get("oxygen_moves", []),
            ):
                setattr(sums, name, getattr(sums, name) + getattr(totals[ward], name))
        pop, source, missing = population(area)
        district_id = area.pk if area.level == Level.DISTRICT else area.parent_id if area.level == Level.WARD else None
        if district_id is None:
            free, district_population = sum(f for f, _icu in beds.values()), city_population
        else:
            free, district_population = beds.get(district_id, (0, 0))[0], population(by_id[district_id])[0]
        area_wards = wards_of.get(area.pk, [])
        ready_count = sum(1 for w in area_wards if w in ready)
        oxygen = sum(getattr(sums, name) for name in params.get("oxygen_moves", []))
        cov = coverage[area.pk]
        facts = {
            "window_start": start.isoformat(), "window_end": cutoff_on.isoformat(),
            "window_days": params["window_days"], "divisor": params["divisor"], "per_population": params["per_population"],
            "case_scope": params["case_scope"], "count_late": params["count_late"],
            "new_community": sums.new_community, "new_quarantine": sums.new_quarantine, "new_other": sums.new_other,
            "new_late": sums.new_late, "population_source": source, "wards_without_population": missing,
            "free_beds": free, "free_icu_beds": city_icu, "wards": len(area_wards), "wards_home_care_ready": ready_count,
            **cov,
        }  # fmt: skip
        indicators = Indicators(
            cases=_cases(sums, params), population=pop, oxygen=oxygen if params["method"] == "218" else None,
            deaths=sums.died if params["method"] == "218" else None,
            adult_first_dose_pct=cov["adult_first_dose_pct"], adult_primary_pct=cov["adult_primary_pct"],
            over_50_primary_pct=cov["over_50_primary_pct"],
            free_beds_per_100k=_per_100k(free, district_population),
            free_icu_beds_per_100k=_per_100k(city_icu, city_population),
            home_care_ready_pct=_pct(ready_count, len(area_wards)),
        )  # fmt: skip
        result.append(AreaInputs(area=area, indicators=indicators, facts=facts))
    return result
