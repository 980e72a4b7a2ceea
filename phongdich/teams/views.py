"""Community teams per ward: list, register, detail with members, add and remove members."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from phongdich.accounts.permissions import perm_required
from phongdich.accounts.roles import Perm
from phongdich.teams.forms import TeamFilterForm, TeamForm, TeamMemberForm
from phongdich.teams.models import Team
from phongdich.teams.selectors import (
    team_for_user,
    team_list,
    team_member_for_user,
    team_member_user_choices,
    team_members,
    team_wards,
)
from phongdich.teams.services import team_create, team_member_add, team_member_remove

PAGE_SIZE = 50


@require_GET
def list_view(request: HttpRequest) -> HttpResponse:
    form = TeamFilterForm(request.GET or None, wards=team_wards(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    ward = filters.get("ward")
    teams = team_list(user=request.user, ward_id=ward.pk if ward else None, kind=filters.get("kind", ""))
    page = Paginator(teams, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "teams/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_edit": request.user.has_perm_code(Perm.TEAM_EDIT),
        },
    )


@perm_required(Perm.TEAM_EDIT)
def create(request: HttpRequest) -> HttpResponse:
    wards = team_wards(request.user)
    form = TeamForm(request.POST or None, wards=wards)
    if request.method == "POST" and form.is_valid():
        try:
            team = team_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã đăng ký tổ “%(name)s”.") % {"name": team.name})
            return redirect("teams:detail", pk=team.pk)
    return render(request, "teams/create.html", {"form": form}, status=422 if form.errors else 200)


def _detail(request: HttpRequest, team: Team, member_form: TeamMemberForm | None, status: int = 200) -> HttpResponse:
    can_edit = request.user.has_perm_code(Perm.TEAM_EDIT)
    if can_edit and member_form is None:
        member_form = TeamMemberForm(users=team_member_user_choices(request.user))
    context = {"team": team, "members": team_members(team), "can_edit": can_edit, "member_form": member_form}
    return render(request, "teams/detail.html", context, status=status)


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, team_for_user(request.user, pk), None)


@perm_required(Perm.TEAM_EDIT)
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    team = team_for_user(request.user, pk)
    if request.method != "POST":
        return redirect("teams:detail", pk=team.pk)
    form = TeamMemberForm(request.POST, users=team_member_user_choices(request.user))
    if form.is_valid():
        try:
            member = team_member_add(actor=request.user, team=team, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã thêm %(name)s vào tổ.") % {"name": member.full_name})
            return redirect("teams:detail", pk=team.pk)
    return _detail(request, team, form, status=422)


@require_POST
@perm_required(Perm.TEAM_EDIT)
def member_remove(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    member = team_member_for_user(request.user, pk, member_id)
    try:
        team_member_remove(actor=request.user, member=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã xoá %(name)s khỏi tổ.") % {"name": member.full_name})
    return redirect("teams:detail", pk=pk)
