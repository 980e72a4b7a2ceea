"""Coverage by area and age group against dated denominators, the weekly trend, outreach (due) lists, campaign days.

Every figure reads the per-person summary `PersonVaccination` (one narrow row per person), never the doses:
coverage is one GROUP BY (ward, age band from birth_year, status) served by the `vacc_coverage` index, a due
list reads the `vacc_due` index (ward, next_due_on). Denominators are `PopulationByAge` rows with history:
the one in force on the reference date is used and shown with its date, so a change (Hà Nội raised its
adult denominator on 28/10/2021) explains a drop in the percentage instead of hiding it.
"""

import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import xlsxwriter
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import IntegrityError, transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phongdich.accounts.models import User
from phongdich.areas.models import Area, Level
from phongdich.areas.scoping import area_contains, ward_ids
from phongdich.audit.models import Event
from phongdich.audit.services import audit_record
from phongdich.vaccination.models import (
    AgeGroup,
    CampaignDay,
    CoverageDay,
    CoverageTally,
    Dose,
    PersonVaccination,
    PopulationByAge,
    VaccinationStatus,
)
from phongdich.vntext import fold, nfc

# The age bands as (key, lowest age, highest age or None) and the totals the epidemic-level criteria use.
BANDS: list[tuple[str, int, int | None]] = [
    (AgeGroup.CHILD_5_11, 5, 11),
    (AgeGroup.TEEN_12_17, 12, 17),
    (AgeGroup.ADULT_18_49, 18, 49),
    (AgeGroup.MIDDLE_50_64, 50, 64),
    (AgeGroup.ELDER_65, 65, None),
]
TOTAL_18 = "18+"
TOTAL_50 = "50+"
TOTALS: dict[str, tuple[str, ...]] = {
    TOTAL_18: (AgeGroup.ADULT_18_49, AgeGroup.MIDDLE_50_64, AgeGroup.ELDER_65),
    TOTAL_50: (AgeGroup.MIDDLE_50_64, AgeGroup.ELDER_65),
}
COLUMNS: list[tuple[str, str]] = [
    *[(key, str(AgeGroup(key).label)) for key, _low, _high in BANDS],
    (TOTAL_18, gettext_lazy("Từ 18 tuổi")),
    (TOTAL_50, gettext_lazy("Từ 50 tuổi")),
]
_DOSED = (VaccinationStatus.PARTIAL, VaccinationStatus.PRIMARY_COMPLETE, VaccinationStatus.BOOSTED)
_PRIMARY = (VaccinationStatus.PRIMARY_COMPLETE, VaccinationStatus.BOOSTED)
PRINT_LIMIT = 5000  # rows on one printed or exported due list; a ward's list is far shorter


def age_band_expression(*, on: date) -> Case:
    """The age band of a birth year at the reference date (age = year of `on` − birth year), or NULL."""
    year = on.year
    whens = []
    for key, low, high in BANDS:
        condition = Q(birth_year__lte=year - low)
        if high is not None:
            condition &= Q(birth_year__gte=year - high)
        whens.append(When(condition, then=Value(str(key))))
    return Case(*whens, default=Value(None), output_field=CharField())


# --- scope -----------------------------------------------------------------------------------------------


def _user_area(user: User) -> Area:
    if user.area is None:
        raise Http404
    return user.area


def _area_in_scope(user: User, area_id: int, level: int) -> Area:
    """The district or ward `area_id` when it lies inside the user's area, else 404."""
    area = Area.objects.select_related("parent__parent").filter(pk=area_id, level=level).first()
    if area is None or not area_contains(_user_area(user), area):
        raise Http404
    return area


def coverage_scope(*, user: User, district_id: int | None = None, ward_id: int | None = None) -> Area:
    """The area a coverage figure is about: the user's area, or one district/ward inside it (else 404)."""
    if ward_id:
        return _area_in_scope(user, ward_id, Level.WARD)
    if district_id:
        return _area_in_scope(user, district_id, Level.DISTRICT)
    return _user_area(user)


def _ward_list(area: Area) -> list[int]:
    return list(ward_ids(area).values_list("pk", flat=True))


# --- denominators ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Denominator:
    population: int
    effective_from: date | None  # of the newest row used
    note: str = ""
    # Set when an earlier row of the same area and group had another value: the figure is "after a change".
    previous: int | None = None
    # For a sum over wards: how many wards of the area have no row for the group yet.
    wards_missing: int = 0


@transaction.atomic
def population_by_age_set(
    *, actor: User, area: Area, age_group: str, population: int, effective_from: date, note: str = ""
) -> PopulationByAge:
    """Record the denominator of one age group of `area` from `effective_from` (a change is a new row)."""
    if actor.area is None or not area_contains(actor.area, area):
        raise ValidationError({"area": _("Địa bàn nằm ngoài phạm vi quản lý của bạn.")})
    if age_group not in AgeGroup.values:
        raise ValidationError({"age_group": _("Nhóm tuổi không hợp lệ.")})
    if population is None or population < 0:
        raise ValidationError({"population": _("Số người phải là số nguyên không âm.")})
    previous = (
        PopulationByAge.objects.filter(area=area, age_group=age_group, effective_from__lt=effective_from)
        .order_by("-effective_from")
        .first()
    )
    if previous is not None and previous.population != population and not note.strip():
        raise ValidationError({"note": _("Cần ghi lý do khi thay đổi mẫu số đã có.")})
    row, created = PopulationByAge.objects.update_or_create(
        area=area,
        age_group=age_group,
        effective_from=effective_from,
        defaults={"population": population, "note": nfc(note), "changed_by": actor},
    )
    audit_record(
        actor=actor,
        event=Event.CREATE if created else Event.UPDATE,
        target_type="population_by_age",
        target_id=row.pk,
        area=area,
        changes={
            "age_group": age_group,
            "population": [previous.population if previous else None, population],
            "effective_from": effective_from.isoformat(),
            "note": row.note,
        },
    )
    return row


def denominators(*, areas: Iterable[Area], on: date) -> dict[tuple[int, str], Denominator]:
    """The denominator in force on `on` of each (area, age group): the area's own newest row, or for a district
    or the city without one, the sum of its wards' rows (one query for the rows, one for the ward tree)."""
    areas = list(areas)
    upper = [a for a in areas if a.level != Level.WARD]
    wards_of: dict[int, list[int]] = {a.pk: [a.pk] for a in areas if a.level == Level.WARD}
    if upper:
        tree = Area.objects.filter(level=Level.WARD).filter(
            Q(parent_id__in=[a.pk for a in upper]) | Q(parent__parent_id__in=[a.pk for a in upper])
        )
        for ward_id, district_id, city_id in tree.values_list("pk", "parent_id", "parent__parent_id"):
            for owner in (district_id, city_id):
                if owner is not None:
                    wards_of.setdefault(owner, []).append(ward_id)
    ids = {a.pk for a in areas} | {w for ws in wards_of.values() for w in ws}
    newest: dict[tuple[int, str], Denominator] = {}
    rows = PopulationByAge.objects.filter(area_id__in=ids, effective_from__lte=on).order_by(
        "area_id", "age_group", "effective_from"
    )
    for area_id, group, population, effective_from, note in rows.values_list(
        "area_id", "age_group", "population", "effective_from", "note"
    ):
        before = newest.get((area_id, group))
        changed = before is not None and before.population != population
        previous = before.population if changed else (before.previous if before else None)
        newest[(area_id, group)] = Denominator(population, effective_from, note, previous)
    result: dict[tuple[int, str], Denominator] = {}
    for area in areas:
        for group in AgeGroup.values:
            own = newest.get((area.pk, group))
            if own is not None:
                result[(area.pk, group)] = own
                continue
            parts = [newest.get((w, group)) for w in wards_of.get(area.pk, [])]
            found = [p for p in parts if p is not None]
            if found:
                changed = any(p.previous is not None for p in found)
                result[(area.pk, group)] = Denominator(
                    population=sum(p.population for p in found),
                    effective_from=max(p.effective_from for p in found if p.effective_from),
                    previous=sum(p.population if p.previous is None else p.previous for p in found)
                    if changed
                    else None,
                    wards_missing=len(parts) - len(found),
                )
    return result


def denominator_history(*, area: Area, limit: int = 50) -> list[PopulationByAge]:
    """Every denominator row of `area` and the units inside it, newest first: the record of each change."""
    inside = Area.objects.filter(Q(pk=area.pk) | Q(parent_id=area.pk) | Q(parent__parent_id=area.pk))
    if area.level == Level.WARD:
        inside = Area.objects.filter(pk=area.pk)
    return list(
        PopulationByAge.objects.filter(area__in=inside)
        .select_related("area", "changed_by")
        .order_by("-effective_from", "area__code", "age_group")[:limit]
    )


# --- coverage table --------------------------------------------------------------------------------------


@dataclass
class Counts:
    vaccinated: int = 0  # at least one dose
    primary: int = 0  # primary course complete (boosted included)
    boosted: int = 0

    def add(self, other: "Counts") -> None:
        self.vaccinated += other.vaccinated
        self.primary += other.primary
        self.boosted += other.boosted


def _pct(part: int, whole: int | None) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Cell:
    counts: Counts
    denominator: Denominator | None

    @property
    def population(self) -> int | None:
        return self.denominator.population if self.denominator else None

    @property
    def pct_vaccinated(self) -> float | None:
        return _pct(self.counts.vaccinated, self.population)

    @property
    def pct_primary(self) -> float | None:
        return _pct(self.counts.primary, self.population)

    @property
    def pct_boosted(self) -> float | None:
        return _pct(self.counts.boosted, self.population)


@dataclass
class CoverageRow:
    area: Area
    cells: dict[str, Cell]

    @property
    def cell_list(self) -> list[tuple[str, Cell]]:
        return [(key, self.cells[key]) for key, _label in COLUMNS]


@dataclass
class CoverageTable:
    on: date
    scope: Area
    rows: list[CoverageRow]
    total: CoverageRow
    columns: list[tuple[str, str]] = field(default_factory=lambda: list(COLUMNS))
    changes: list[PopulationByAge] = field(default_factory=list)


def ward_counts(*, wards: list[int], on: date) -> dict[int, dict[str, Counts]]:
    """Counts per ward and age band at `on`: one GROUP BY over PersonVaccination.

    For today or later the status is enough (ward, birth_year, status: the `vacc_coverage` index alone);
    for a past date the dose dates decide (boosted: the last dose was on or before `on`)."""
    band = age_band_expression(on=on)
    result: dict[int, dict[str, Counts]] = defaultdict(lambda: defaultdict(Counts))
    if on >= timezone.localdate():
        # Today: the tallies kept by person_vaccination_refresh (a few rows per ward and birth year).
        tallies = CoverageTally.objects.filter(ward_id__in=wards).annotate(band=band).exclude(band__isnull=True)
        grouped = tallies.order_by().values_list("ward_id", "band", "status").annotate(n=Sum("persons"))
        for ward_id, key, status, n in grouped:
            counts = result[ward_id][key]
            counts.vaccinated += n if status in _DOSED else 0
            counts.primary += n if status in _PRIMARY else 0
            counts.boosted += n if status == VaccinationStatus.BOOSTED else 0
        return result
    rows = PersonVaccination.objects.filter(ward_id__in=wards).annotate(band=band).exclude(band__isnull=True).order_by()
    grouped = rows.values_list("ward_id", "band").annotate(
        vaccinated=Count("pk", filter=Q(first_dose_on__lte=on)),
        primary=Count("pk", filter=Q(primary_complete_on__lte=on)),
        boosted=Count("pk", filter=Q(status=VaccinationStatus.BOOSTED, last_dose_on__lte=on)),
    )
    for ward_id, key, vaccinated, primary, boosted in grouped:
        result[ward_id][key].add(Counts(vaccinated, primary, boosted))
    return result


def coverage_row(area: Area, bands: dict[str, Counts], denoms: dict[tuple[int, str], Denominator]) -> CoverageRow:
    cells = {key: Cell(bands.get(key, Counts()), denoms.get((area.pk, key))) for key, _low, _high in BANDS}
    for total, parts in TOTALS.items():
        counts = Counts()
        for part in parts:
            counts.add(cells[part].counts)
        found = [cells[p].denominator for p in parts]
        denominator = None
        if all(found):
            present = [d for d in found if d is not None]
            changed = any(d.previous is not None for d in present)
            denominator = Denominator(
                population=sum(d.population for d in present),
                effective_from=max((d.effective_from for d in present if d.effective_from), default=None),
                previous=sum(d.previous if d.previous is not None else d.population for d in present)
                if changed
                else None,
                wards_missing=max(d.wards_missing for d in present),
            )
        cells[total] = Cell(counts, denominator)
    return CoverageRow(area=area, cells=cells)


def coverage_table(*, user: User, on: date | None = None, district_id: int | None = None) -> CoverageTable:
    """Coverage of the user's area on `on` (default today) by age group: one row per ward of a district (or
    the user's ward), or per district of the city; a city user passes `district_id` to see its wards."""
    on = on or timezone.localdate()
    scope = coverage_scope(user=user, district_id=district_id)
    if scope.level == Level.PROVINCE:
        row_areas = list(Area.objects.filter(level=Level.DISTRICT, parent=scope).order_by("code"))
    elif scope.level == Level.DISTRICT:
        row_areas = list(Area.objects.filter(level=Level.WARD, parent=scope).order_by("code"))
    else:
        row_areas = [scope]
    wards = _ward_list(scope)
    by_ward = ward_counts(wards=wards, on=on)
    by_row: dict[int, dict[str, Counts]] = defaultdict(lambda: defaultdict(Counts))
    overall: dict[str, Counts] = defaultdict(Counts)
    if scope.level == Level.PROVINCE:
        district_of = dict(Area.objects.filter(pk__in=wards).values_list("pk", "parent_id"))
    else:
        district_of = {w: w for w in wards}
    for ward_id, bands in by_ward.items():
        for key, counts in bands.items():
            by_row[district_of[ward_id]][key].add(counts)
            overall[key].add(counts)
    areas = [*row_areas, scope] if scope.level != Level.WARD else row_areas
    denoms = denominators(areas=areas, on=on)
    rows = [coverage_row(area, by_row.get(area.pk, {}), denoms) for area in row_areas]
    total = coverage_row(scope, overall, denoms)
    return CoverageTable(on=on, scope=scope, rows=rows, total=total, changes=denominator_history(area=scope))


def coverage_criterion(*, area: Area, on: date) -> dict[str, float | int | date | None]:
    """What the epidemic-level criterion reads (QĐ 4800 §8b): % of people ≥ 18 with at least one dose and
    % of people ≥ 50 with the primary course complete, in `area` on `on`, with the denominators used."""
    by_ward = ward_counts(wards=_ward_list(area), on=on)
    overall: dict[str, Counts] = defaultdict(Counts)
    for bands in by_ward.values():
        for key, counts in bands.items():
            overall[key].add(counts)
    row = coverage_row(area, overall, denominators(areas=[area], on=on))
    adult, over_50 = row.cells[TOTAL_18], row.cells[TOTAL_50]
    return {
        "adult_vaccinated": adult.counts.vaccinated,
        "adult_population": adult.population,
        "adult_pct_first_dose": adult.pct_vaccinated,
        "adult_denominator_from": adult.denominator.effective_from if adult.denominator else None,
        "over_50_primary": over_50.counts.primary,
        "over_50_population": over_50.population,
        "over_50_pct_primary": over_50.pct_primary,
    }


# --- trend -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    week_end: date
    vaccinated: int  # cumulative, at least one dose
    primary: int  # cumulative, primary course complete


def coverage_trend(
    *,
    user: User,
    weeks: int = 12,
    on: date | None = None,
    district_id: int | None = None,
    ward_id: int | None = None,
) -> list[TrendPoint]:
    """Cumulative people with ≥ 1 dose and with the primary course complete at the end of each of the last
    `weeks` weeks (the last one ends on `on`): three queries whatever the number of weeks."""
    on = on or timezone.localdate()
    weeks = max(1, min(weeks, 104))
    scope = coverage_scope(user=user, district_id=district_id, ward_id=ward_id)
    start = on - timedelta(days=7 * weeks - 1)
    # The daily tallies kept by person_vaccination_refresh: a few hundred rows per ward, not every person.
    days = CoverageDay.objects.filter(ward_id__in=_ward_list(scope)).order_by()
    before = days.filter(day__lt=start).aggregate(
        vaccinated=Sum("persons", filter=Q(event="first")), primary=Sum("persons", filter=Q(event="primary"))
    )
    in_range = days.filter(day__gte=start, day__lte=on).values_list("day", "event").annotate(n=Sum("persons"))
    first = {day: n for day, event, n in in_range if event == "first"}
    primary = {day: n for day, event, n in in_range if event == "primary"}
    vaccinated, complete = before["vaccinated"] or 0, before["primary"] or 0
    points = []
    day = start
    for week in range(weeks):
        week_end = start + timedelta(days=7 * week + 6)
        while day <= week_end:
            vaccinated += first.get(day, 0)
            complete += primary.get(day, 0)
            day += timedelta(days=1)
        points.append(TrendPoint(week_end, vaccinated, complete))
    return points


# --- due lists -------------------------------------------------------------------------------------------


def due_list(
    *,
    user: User,
    ward_id: int | None = None,
    district_id: int | None = None,
    overdue_only: bool = False,
    min_age: int | None = None,
    priority_only: bool = False,
    homebound: bool | None = None,
    on: date | None = None,
    horizon_days: int = 7,
) -> QuerySet[PersonVaccination]:
    """People of the user's area whose next dose is due, in the order an outreach team works through them.

    Due: the earliest date of the next dose falls on or before `on` + `horizon_days`; overdue: it has already
    passed (before `on`) and the dose is still not recorded. Order: overdue first, then people ≥ 50, then
    people with an underlying condition, then homebound people (mobile teams), then by due date.
    Each row carries `age`, `overdue` and the person (name, phone, address) and ward already loaded."""
    on = on or timezone.localdate()
    scope = coverage_scope(user=user, district_id=district_id, ward_id=ward_id)
    wards = _ward_list(scope)
    by_ward = Q(ward_id=wards[0]) if len(wards) == 1 else Q(ward_id__in=wards)
    rows = PersonVaccination.objects.filter(by_ward, next_due_on__isnull=False)
    if overdue_only:
        rows = rows.filter(next_due_on__lt=on)
    else:
        rows = rows.filter(next_due_on__lte=on + timedelta(days=horizon_days))
    if min_age is not None:
        rows = rows.filter(birth_year__lte=on.year - min_age)
    if priority_only:
        rows = rows.filter(priority=True)
    if homebound is not None:
        rows = rows.filter(homebound=homebound)
    over_50 = Q(birth_year__lte=on.year - 50)
    return (
        rows.annotate(
            age=ExpressionWrapper(Value(on.year) - F("birth_year"), output_field=IntegerField()),
            overdue=Case(When(next_due_on__lt=on, then=Value(True)), default=Value(False), output_field=BooleanField()),
            overdue_rank=Case(When(next_due_on__lt=on, then=Value(0)), default=Value(1), output_field=IntegerField()),
            # priority is set for ≥ 50, an underlying condition or homebound: what is left is the condition.
            priority_rank=Case(
                When(over_50, then=Value(0)),
                When(priority=True, homebound=False, then=Value(1)),
                When(homebound=True, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            ),
        )
        .select_related("person", "ward")
        .order_by("overdue_rank", "priority_rank", "next_due_on", "person_id")
    )


def due_page(rows: QuerySet[PersonVaccination], *, number: object, per_page: int) -> Page:
    """One page of a due list: the page's ids are sorted and counted from the covering index `vacc_due`
    alone, then only those rows are loaded with their persons (a busy ward has ~30,000 people due)."""
    page = Paginator(rows.values_list("pk", flat=True), per_page).get_page(number)
    loaded = {row.pk: row for row in rows.filter(pk__in=list(page.object_list))}
    page.object_list = [loaded[pk] for pk in page.object_list]
    return page


# --- campaign days ---------------------------------------------------------------------------------------


def _campaign_check(actor: User, ward: Area, planned: int, site: str, campaign: str) -> None:
    errors = {}
    if ward.level != Level.WARD or actor.area is None or not area_contains(actor.area, ward):
        errors["ward"] = _("Phường/xã nằm ngoài phạm vi quản lý của bạn.")
    if planned is None or planned < 0:
        errors["planned"] = _("Số mũi dự kiến phải là số nguyên không âm.")
    if not site.strip():
        errors["site"] = _("Cần nhập điểm tiêm.")
    if not campaign.strip():
        errors["campaign"] = _("Cần nhập tên chiến dịch.")
    if errors:
        raise ValidationError(errors)


def _duplicate_site(day: date, site: str) -> ValidationError:
    return ValidationError(
        {"site": _("Điểm tiêm “%(site)s” đã có trong ngày %(day)s.") % {"site": site, "day": day.strftime("%d/%m/%Y")}}
    )


@transaction.atomic
def campaign_day_create(*, actor: User, campaign: str, ward: Area, day: date, site: str, planned: int) -> CampaignDay:
    """Plan one vaccination day at one site of a ward."""
    _campaign_check(actor, ward, planned, site, campaign)
    site, campaign = nfc(site), nfc(campaign)
    try:
        with transaction.atomic():
            row = CampaignDay.objects.create(
                campaign=campaign, ward=ward, day=day, site=site, planned=planned, created_by=actor
            )
    except IntegrityError:
        raise _duplicate_site(day, site) from None
    audit_record(
        actor=actor, event=Event.CREATE, target_type="campaign_day", target_id=row.pk, area=ward,
        changes={"campaign": campaign, "day": day.isoformat(), "site": site, "planned": planned},
    )  # fmt: skip
    return row


@transaction.atomic
def campaign_day_update(
    *,
    actor: User,
    campaign_day: CampaignDay,
    campaign: str | None = None,
    day: date | None = None,
    site: str | None = None,
    planned: int | None = None,
) -> CampaignDay:
    """Change a planned day (its campaign name, date, site or planned number); the ward stays."""
    new = {
        "campaign": nfc(campaign) if campaign is not None else campaign_day.campaign,
        "day": day or campaign_day.day,
        "site": nfc(site) if site is not None else campaign_day.site,
        "planned": planned if planned is not None else campaign_day.planned,
    }
    _campaign_check(actor, campaign_day.ward, new["planned"], new["site"], new["campaign"])
    changes = {k: [getattr(campaign_day, k), v] for k, v in new.items() if getattr(campaign_day, k) != v}
    if not changes:
        return campaign_day
    try:
        with transaction.atomic():
            CampaignDay.objects.filter(pk=campaign_day.pk).update(**new)
    except IntegrityError:
        raise _duplicate_site(new["day"], new["site"]) from None
    for key, value in new.items():
        setattr(campaign_day, key, value)
    audit_record(
        actor=actor, event=Event.UPDATE, target_type="campaign_day", target_id=campaign_day.pk,
        area=campaign_day.ward, changes=changes,
    )  # fmt: skip
    return campaign_day


def campaign_day_for_user(user: User, pk: int) -> CampaignDay:
    row = CampaignDay.objects.select_related("ward__parent").filter(pk=pk).first()
    if row is None or user.area is None or not area_contains(user.area, row.ward):
        raise Http404
    return row


@dataclass
class CampaignRow:
    day: CampaignDay
    done: int

    @property
    def pct(self) -> float | None:
        return _pct(self.done, self.day.planned)


@dataclass
class CampaignSummary:
    rows: list[CampaignRow]
    planned: int
    done: int
    truncated: bool

    @property
    def pct(self) -> float | None:
        return _pct(self.done, self.planned)


def campaign_days(
    *,
    user: User,
    ward_id: int | None = None,
    district_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    campaign: str = "",
    limit: int = 500,
) -> CampaignSummary:
    """Planned campaign days of the user's area against what was done: the doses recorded in that ward on that
    day at that site (sites compared without case or diacritics). Doses of the ward-day with no site recorded
    count for the day's site when the ward has a single site that day. Two queries."""
    scope = coverage_scope(user=user, district_id=district_id, ward_id=ward_id)
    days = CampaignDay.objects.filter(ward_id__in=_ward_list(scope)).select_related("ward__parent")
    if date_from:
        days = days.filter(day__gte=date_from)
    if date_to:
        days = days.filter(day__lte=date_to)
    if campaign.strip():
        days = days.filter(campaign__icontains=campaign.strip())
    planned_days = list(days.order_by("-day", "ward__code", "site")[: limit + 1])
    truncated = len(planned_days) > limit
    planned_days = planned_days[:limit]
    done: dict[tuple[int, date, str], int] = defaultdict(int)
    sites_of: dict[tuple[int, date], int] = defaultdict(int)
    for row in planned_days:
        sites_of[(row.ward_id, row.day)] += 1
    if planned_days:
        doses = (
            Dose.objects.filter(
                ward_id__in={r.ward_id for r in planned_days}, given_on__in={r.day for r in planned_days}
            )
            .values_list("ward_id", "given_on", "site")
            .annotate(n=Count("*"))
            .order_by()
        )
        for ward, given_on, site, n in doses:
            done[(ward, given_on, fold(site or ""))] += n
    rows = []
    for row in planned_days:
        n = done.get((row.ward_id, row.day, fold(row.site)), 0)
        if sites_of[(row.ward_id, row.day)] == 1:
            n += done.get((row.ward_id, row.day, ""), 0)
        rows.append(CampaignRow(day=row, done=n))
    return CampaignSummary(
        rows=rows, planned=sum(r.day.planned for r in rows), done=sum(r.done for r in rows), truncated=truncated
    )


# --- printing and exporting due lists --------------------------------------------------------------------

DUE_HEADERS = [
    gettext_lazy("STT"), gettext_lazy("Họ và tên"), gettext_lazy("Tuổi"), gettext_lazy("Điện thoại"),
    gettext_lazy("Địa chỉ"), gettext_lazy("Phường/xã"), gettext_lazy("Mũi gần nhất"), gettext_lazy("Ngày tiêm gần nhất"),
    gettext_lazy("Mũi tiếp theo"), gettext_lazy("Ngày đến hạn"), gettext_lazy("Quá hạn"), gettext_lazy("Ưu tiên"),
    gettext_lazy("Tiêm lưu động"), gettext_lazy("Ký nhận / ghi chú"),
]  # fmt: skip


def due_reason(row: PersonVaccination, on: date) -> str:
    """Why the row is high on the list, in Vietnamese (the same order as the list)."""
    if row.birth_year and on.year - row.birth_year >= 50:
        return _("Từ 50 tuổi")
    if row.priority and not row.homebound:
        return _("Bệnh nền")
    if row.homebound:
        return _("Không đi lại được")
    return ""


def due_list_rows(*, rows: QuerySet[PersonVaccination], on: date) -> list[list[object]]:
    """The printed/exported cells of a due list (at most PRINT_LIMIT rows), in the list's order."""
    result: list[list[object]] = []
    for i, row in enumerate(rows[:PRINT_LIMIT], start=1):
        result.append([
            i, row.person.full_name, row.age if row.birth_year else "", row.person.phone, row.person.address,
            row.ward.name if row.ward else "", row.last_product, row.last_dose_on, row.get_next_kind_display(),
            row.next_due_on, _("Có") if row.next_due_on and row.next_due_on < on else "", due_reason(row, on),
            _("Có") if row.homebound else "", "",
        ])  # fmt: skip
    return result


def due_list_export(*, actor: User, rows: QuerySet[PersonVaccination], scope: Area, on: date, filters: dict) -> bytes:
    """The due list as xlsx. It names people and their phones, so the export is audited."""
    cells = due_list_rows(rows=rows, on=on)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(_("Danh sách đến hạn"))
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7"})
    day = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, [str(h) for h in DUE_HEADERS], bold)
    for r, values in enumerate(cells, start=1):
        for c, value in enumerate(values):
            if isinstance(value, date):
                sheet.write_datetime(r, c, value, day)
            elif isinstance(value, int):
                sheet.write_number(r, c, value)
            elif value is None or value == "":
                continue
            else:
                sheet.write_string(r, c, str(value))
    for col, width in enumerate([5, 26, 6, 12, 30, 18, 12, 12, 22, 12, 8, 14, 10, 24]):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)
    workbook.close()
    audit_record(
        actor=actor, event=Event.EXPORT, target_type="vaccination_due_list", target_id=None, area=scope,
        extra={"rows": len(cells), "on": on.isoformat(), "filters": filters},
    )  # fmt: skip
    return buffer.getvalue()
