"""The weekly workload pages: one ward's teams, members and staff; or one row per ward (district) or district (city)."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from phongdich.accounts.models import User
from phongdich.areas.filters import area_filter_fields
from phongdich.areas.models import Area, Level
from phongdich.areas.selectors import wards_visible_to
from phongdich.people.forms import DateField
from phongdich.teams.models import Team, TeamMember
from phongdich.teams.workload import Load, Loads, Week, workload


class WorkloadForm(forms.Form):
    week = DateField(label=_("Tuần có ngày"), required=False)

    def __init__(self, data: Any = None, *, area: Area | None) -> None:
        super().__init__(data)
        area_filter_fields(self, area=area, data=data or {})


@dataclass
class MemberLine:
    name: str
    position: str
    user: User | None
    load: Load


@dataclass
class TeamBlock:
    team: Team
    members: list[MemberLine] = field(default_factory=list)
    total: Load = field(default_factory=Load)


@dataclass
class AreaLine:
    area: Area
    load: Load

    @property
    def drill(self) -> str:
        return area_query(self.area)

    @property
    def f0_url(self) -> str:
        return f0_url(self.area)

    @property
    def f1_url(self) -> str:
        return f1_url(self.area)


def area_query(area: Area) -> str:
    """The district/ward filter of the lists (areas.filters) that shows `area`."""
    if area.level == Level.WARD:
        return urlencode({"district": area.parent_id, "ward": area.pk})
    if area.level == Level.DISTRICT:
        return urlencode({"district": area.pk})
    return ""


def f0_url(area: Area) -> str:
    return f"{reverse('cases:list')}?{area_query(area)}&status=active"


def f1_url(area: Area) -> str:
    return f"{reverse('contacts:list')}?{area_query(area)}"


def _scope(user: User, values: dict) -> Area | None:
    """The area the page shows: the chosen ward, else the chosen district, else the user's own area."""
    area = user.area
    if area is None:
        return None
    wards = wards_visible_to(area)
    if values.get("ward"):
        return wards.filter(pk=values["ward"]).first() or area
    if values.get("district") and area.level == Level.PROVINCE:
        return Area.objects.filter(pk=values["district"], parent=area, level=Level.DISTRICT).first() or area
    return area


def _ward_context(ward: Area, loads: Loads) -> dict[str, Any]:
    """Teams with their members (a team sums its members' accounts, each once), then the ward's other staff."""
    teams = list(Team.objects.filter(ward=ward).order_by("name"))
    members = TeamMember.objects.filter(team__in=teams).select_related("user").order_by("id")
    blocks = {team.pk: TeamBlock(team) for team in teams}
    counted: set[tuple[int, int]] = set()
    for member in members:
        load = loads.user(member.user_id)
        block = blocks[member.team_id]
        block.members.append(MemberLine(member.full_name, member.position, member.user, load))
        if member.user_id and (member.team_id, member.user_id) not in counted:
            counted.add((member.team_id, member.user_id))
            block.total.add(load)
    in_teams = {user_id for _team, user_id in counted}
    staff = User.objects.filter(area=ward, is_active=True).exclude(pk__in=in_teams).order_by("role", "username")
    return {
        "blocks": list(blocks.values()),
        "staff": [(u, loads.user(u.pk)) for u in staff],
        "total": loads.ward(ward.pk),
        "ward_f0_url": f0_url(ward),
        "ward_f1_url": f1_url(ward),
    }


def _rows_context(scope: Area, loads: Loads) -> dict[str, Any]:
    wards = list(wards_visible_to(scope))
    total = Load()
    if scope.level == Level.DISTRICT:
        rows = [AreaLine(ward, loads.ward(ward.pk)) for ward in wards]
    else:  # the city: one row per district, each the sum of its wards
        by_district: dict[int, AreaLine] = {}
        for ward in wards:
            line = by_district.setdefault(ward.parent_id, AreaLine(ward.parent, Load()))  # type: ignore[arg-type]
            line.load.add(loads.ward(ward.pk))
        rows = list(by_district.values())
    for row in rows:
        total.add(row.load)
    return {"rows": rows, "total": total, "total_f0_url": f0_url(scope), "total_f1_url": f1_url(scope)}


@require_GET
def workload_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = WorkloadForm(request.GET or None, area=user.area)
    values = form.cleaned_data if form.is_valid() else {}
    week = Week.containing(values.get("week") or timezone.localdate())
    scope = _scope(user, values)
    context: dict[str, Any] = {
        "form": form, "week": week, "scope": scope, "scope_query": area_query(scope) if scope else "",
        "previous": week.monday - timedelta(days=7), "next": week.monday + timedelta(days=7),
    }  # fmt: skip
    if scope is None:
        return render(request, "teams/workload.html", context)
    loads = workload(area=scope, week=week)
    if scope.level == Level.WARD:
        context.update(_ward_context(scope, loads))
        return render(request, "teams/workload.html", context)
    context.update(_rows_context(scope, loads))
    return render(request, "teams/workload_areas.html", context)
