"""Reads of community teams, always scoped to the user's area."""

from django.db.models import Count, QuerySet
from django.http import Http404

from phongdich.accounts.models import User
from phongdich.areas.models import Area
from phongdich.areas.scoping import areas_within, in_area
from phongdich.areas.selectors import wards_visible_to
from phongdich.teams.models import Team, TeamMember


def teams_visible_to(user: User) -> QuerySet[Team]:
    if user.area is None:
        return Team.objects.none()
    return Team.objects.filter(in_area(user.area))


def team_list(*, user: User, ward_id: int | None = None, kind: str = "") -> QuerySet[Team]:
    teams = teams_visible_to(user)
    if ward_id:
        teams = teams.filter(ward_id=ward_id)
    if kind:
        teams = teams.filter(kind=kind)
    return teams.select_related("ward__parent").annotate(member_count=Count("members")).order_by("ward__code", "name")


def team_for_user(user: User, team_id: int) -> Team:
    """The team, or 404 when its ward lies outside the user's area."""
    team = teams_visible_to(user).select_related("ward__parent").filter(pk=team_id).first()
    if team is None:
        raise Http404
    return team


def team_member_for_user(user: User, team_id: int, member_id: int) -> TeamMember:
    team = team_for_user(user, team_id)
    member = team.members.filter(pk=member_id).first()
    if member is None:
        raise Http404
    member.team = team
    return member


def team_members(team: Team) -> QuerySet[TeamMember]:
    return team.members.select_related("user").order_by("id")


def team_wards(user: User) -> QuerySet[Area]:
    """The wards the user may register teams in or filter by."""
    if user.area is None:
        return Area.objects.none()
    return wards_visible_to(user.area)


def team_member_user_choices(user: User) -> QuerySet[User]:
    """Active accounts inside the user's area, which a member may be linked to."""
    if user.area is None:
        return User.objects.none()
    return User.objects.filter(is_active=True, area__in=areas_within(user.area)).order_by("username")
