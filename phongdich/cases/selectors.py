"""Reads of the F0 registry, always scoped to the user's area."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from phongdich.accounts.models import User
from phongdich.areas.scoping import area_covers_ward, in_area, ward_ids
from phongdich.cases.models import AgeGroup, Case, Status
from phongdich.people.models import Person
from phongdich.vntext import fold

_CASE_CODE = re.compile(r"^F0-\d+$", re.IGNORECASE)
_AGE_BOUNDS = {AgeGroup.CHILD: (0, 17), AgeGroup.ADULT: (18, 49), AgeGroup.MIDDLE: (50, 64), AgeGroup.ELDER: (65, 200)}
SORTS = {
    "-confirmed_on": ("-confirmed_on", "-id"),
    "confirmed_on": ("confirmed_on", "id"),
    "code": ("code",),
    "-code": ("-code",),
    "age": ("age", "id"),
    "-age": ("-age", "-id"),
}


def cases_visible_to(user: User) -> QuerySet[Case]:
    if user.area is None:
        return Case.objects.none()
    return Case.objects.filter(in_area(user.area))


def case_for_user(user: User, case_id: int) -> Case:
    """The case, or 404 when it is managed outside the user's area."""
    case = Case.objects.select_related("person__ward", "ward__parent", "created_by").filter(pk=case_id).first()
    if case is None or user.area is None or not area_covers_ward(user.area, case.ward):
        raise Http404
    return case


@dataclass(frozen=True)
class CaseFilters:
    status: str = ""
    confirmed_from: date | None = None
    confirmed_to: date | None = None
    district_id: int | None = None
    ward_id: int | None = None
    age_group: str = ""
    high_risk: bool | None = None
    q: str = ""
    sort: str = "-confirmed_on"


def _cases_in_wards(user: User, *, district_id: int | None = None, ward_id: int | None = None) -> QuerySet[Case]:
    """cases_visible_to(user), narrowed to one district or ward of the area, as a literal list of ward ids.
    Given the usual subquery, PostgreSQL guesses a city has ~30 wards instead of ~600, then joins and sorts
    every case before taking one page: 1 s instead of 30 ms for a city-wide list of 300,000 cases."""
    if user.area is None:
        return Case.objects.none()
    wards = ward_ids(user.area)
    if ward_id:
        wards = wards.filter(pk=ward_id)
    elif district_id:
        wards = wards.filter(parent_id=district_id)
    return Case.objects.filter(ward_id__in=list(wards.values_list("pk", flat=True)))


def case_list(*, user: User, filters: CaseFilters) -> QuerySet[Case]:
    cases = _cases_in_wards(user, district_id=filters.district_id, ward_id=filters.ward_id)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.confirmed_from:
        cases = cases.filter(confirmed_on__gte=filters.confirmed_from)
    if filters.confirmed_to:
        cases = cases.filter(confirmed_on__lte=filters.confirmed_to)
    if filters.age_group in _AGE_BOUNDS:
        low, high = _AGE_BOUNDS[AgeGroup(filters.age_group)]
        cases = cases.filter(age__gte=low, age__lte=high)
    if filters.high_risk is not None:
        cases = cases.filter(high_risk=filters.high_risk)
    q = filters.q.strip()
    if _CASE_CODE.match(q):
        cases = cases.filter(code=q.upper())
    elif q:
        # Not "code OR name": an OR across the join keeps PostgreSQL off both the code and the trigram index.
        cases = cases.filter(person__name_search__contains=fold(q))
    order = SORTS.get(filters.sort, SORTS["-confirmed_on"])
    return cases.select_related("person", "ward__parent").order_by(*order)


def case_counts(*, user: User) -> dict[str, int]:
    """Cases by status in the user's area, for the home page."""
    rows = _cases_in_wards(user).values("status").annotate(n=Count("id"))
    counts = {s.value: 0 for s in Status}
    counts.update({r["status"]: r["n"] for r in rows})
    return counts


def case_recent_counts(*, user: User, today: date) -> dict[str, int]:
    """Cases confirmed `today` and in the seven days ending today, in one query."""
    week = _cases_in_wards(user).filter(confirmed_on__gte=today - timedelta(days=6), confirmed_on__lte=today)
    return week.aggregate(today=Count("id", filter=Q(confirmed_on=today)), week=Count("id"))


def cases_of_person(*, user: User, person: Person) -> QuerySet[Case]:
    """A person's cases that the user may see, newest first."""
    return cases_visible_to(user).filter(person=person).select_related("ward__parent").order_by("-confirmed_on")
