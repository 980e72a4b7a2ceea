"""Reading assessments: the latest level of every area (the map), the table of a scope, history, week-on-week changes.

Every read for a user goes through `areas_within(user.area)`; an area outside answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from phongdich.accounts.models import User
from phongdich.areas.models import Area, Level
from phongdich.areas.scoping import area_contains, areas_within
from phongdich.levels.models import Assessment, AssessmentKind


def latest_levels(*, area_ids: list[int] | None = None) -> dict[int, Assessment]:
    """The newest assessment of each area (by cut-off day, then computation time), weekly or on demand, without its
    inputs and reasoning: one query, an index probe (`assessment_latest`) per area rather than a pass over the
    whole history."""
    newest = (
        Assessment.objects.filter(area_id=OuterRef("pk")).order_by("-cutoff_on", "-computed_at", "-pk").values("pk")[:1]
    )
    areas = Area.objects.filter(pk__in=list(area_ids)) if area_ids is not None else Area.objects.all()
    rows = Assessment.objects.filter(pk__in=areas.annotate(newest=Subquery(newest)).values("newest"))
    # The inputs and reasoning (the bulk of a row) are read only where one area's detail is shown.
    return {row.area_id: row for row in rows.defer("inputs", "reasoning")}


def _scope(user: User) -> Area:
    if user.area is None:
        raise Http404
    return user.area


def area_for_user(user: User, area_id: int) -> Area:
    """A ward, district or the city inside the user's area, else 404."""
    area = Area.objects.select_related("parent__parent").filter(pk=area_id).first()
    if area is None or not area_contains(_scope(user), area):
        raise Http404
    return area


def districts_visible_to(user: User) -> QuerySet[Area]:
    return areas_within(_scope(user)).filter(level=Level.DISTRICT).order_by("code")


def assessments_visible_to(user: User) -> QuerySet[Assessment]:
    return Assessment.objects.filter(area__in=areas_within(_scope(user)))


def cutoff_days(*, user: User, kind: str | None = None, limit: int = 60) -> list[date]:
    """The cut-off days assessed in the user's area, newest first."""
    rows = assessments_visible_to(user)
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows.order_by("-cutoff_on").values_list("cutoff_on", flat=True).distinct()[:limit])


@dataclass
class LevelRow:
    area: Area
    assessment: Assessment
    previous: Assessment | None  # the weekly assessment before this one

    @property
    def change(self) -> int | None:
        return None if self.previous is None else self.assessment.level - self.previous.level


def _previous_weekly(area_ids: list[int], before: date) -> dict[int, Assessment]:
    """For each area, its latest weekly assessment with a cut-off before `before` (1 query)."""
    newest = (
        Assessment.objects.filter(area_id=OuterRef("area_id"), kind=AssessmentKind.WEEKLY, cutoff_on__lt=before)
        .order_by("-cutoff_on")
        .values("pk")[:1]
    )
    rows = Assessment.objects.filter(area_id__in=area_ids, pk=Subquery(newest))
    return {row.area_id: row for row in rows}


def levels_table(
    *, user: User, cutoff_on: date | None = None, kind: str | None = None, district_id: int | None = None,
    level: int | None = None,
) -> tuple[date | None, list[LevelRow]]:  # fmt: skip
    """The assessments of one cut-off day (default: the newest) for the areas in the user's scope, city and
    districts first, each with the weekly assessment before it. A district filter keeps it and its wards."""
    areas = areas_within(_scope(user))
    if district_id:
        district = area_for_user(user, district_id)
        areas = areas.filter(pk__in=areas_within(district).values("pk"))
    rows = Assessment.objects.filter(area__in=areas).select_related("area")
    if kind:
        rows = rows.filter(kind=kind)
    if cutoff_on is None:
        cutoff_on = rows.order_by("-cutoff_on").values_list("cutoff_on", flat=True).first()
        if cutoff_on is None:
            return None, []
    rows = rows.filter(cutoff_on=cutoff_on)
    if level:
        rows = rows.filter(level=level)
    # On one day both kinds may exist: the on-demand recompute is the newer word.
    chosen: dict[int, Assessment] = {}
    for row in rows.order_by("computed_at", "pk"):
        chosen[row.area_id] = row
    previous = _previous_weekly(list(chosen), cutoff_on)
    result = [LevelRow(area=a.area, assessment=a, previous=previous.get(a.area_id)) for a in chosen.values()]
    result.sort(key=lambda r: (r.area.level, r.area.code))
    return cutoff_on, result


def level_history(*, user: User, area_id: int, limit: int = 104) -> tuple[Area, list[Assessment]]:
    area = area_for_user(user, area_id)
    rows = list(Assessment.objects.filter(area=area).order_by("-cutoff_on", "-computed_at")[:limit])
    return area, rows


def level_changes(*, user: User) -> tuple[date | None, date | None, list[LevelRow]]:
    """Areas whose weekly level differs from the weekly assessment before (latest two weekly cut-offs)."""
    days = cutoff_days(user=user, kind=AssessmentKind.WEEKLY, limit=1)
    if not days:
        return None, None, []
    latest, rows = levels_table(user=user, cutoff_on=days[0], kind=AssessmentKind.WEEKLY)
    changed = [r for r in rows if r.previous is not None and r.change]
    changed.sort(key=lambda r: (-(r.change or 0), r.area.level, r.area.code))
    before = max((r.previous.cutoff_on for r in changed if r.previous), default=None)
    return latest, before, changed
