"""Pages of the follow-up queue: who to call today and why, each member's own list, the ward's day in counts,
and assigning an F0 to a team member or doctor."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from phongdich.accounts.models import User
from phongdich.accounts.permissions import perm_required
from phongdich.accounts.roles import Perm
from phongdich.areas.filters import area_filter_fields
from phongdich.cases.models import Case
from phongdich.cases.selectors import case_for_user
from phongdich.monitoring.followup import (
    ALL_AT_HOME,
    ASSIGNEE_ROLES,
    UNASSIGNED,
    Reason,
    assignee_filter_choices,
    assignees_by_ward,
    case_assign,
    followup_counts,
    followup_queue,
    my_cases_today,
    silence_hours,
    ward_daily,
)

PAGE_SIZE = 50


def _user_label(user: User) -> str:
    return f"{user.get_full_name() or user.get_username()} ({user.get_role_display()})"


class FollowupFilterForm(forms.Form):
    """GET filters of the queue; an invalid value is left out, the others still apply."""

    reason = forms.ChoiceField(
        label=gettext_lazy("Lý do"),
        choices=[
            ("", gettext_lazy("Mọi lý do")), *Reason.choices, (ALL_AT_HOME, gettext_lazy("Mọi F0 điều trị tại nhà"))
        ],
        required=False,
    )  # fmt: skip

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_filter_fields(self, area=user.area, data=self.data)
        assignees = [(u.pk, _user_label(u)) for u in assignee_filter_choices(user=user)]
        self.fields["assignee"] = forms.TypedChoiceField(
            label=gettext_lazy("Người phụ trách"),
            choices=[("", gettext_lazy("Tất cả")), (UNASSIGNED, gettext_lazy("Chưa phân công")), *assignees],
            coerce=int,
            empty_value=None,
            required=False,
        )

    def values(self) -> dict[str, Any]:
        self.is_valid()
        data = self.cleaned_data
        return {
            "reason": data.get("reason") or None, "ward_id": data.get("ward"), "district_id": data.get("district"),
            "assignee_id": data.get("assignee"),
        }  # fmt: skip


class DailyFilterForm(forms.Form):
    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_filter_fields(self, area=user.area, data=self.data)

    def area_ids(self) -> dict[str, int | None]:
        self.is_valid()
        return {"ward_id": self.cleaned_data.get("ward"), "district_id": self.cleaned_data.get("district")}


class AssignForm(forms.Form):
    assignee = forms.IntegerField(required=False)
    version = forms.IntegerField(min_value=1)
    next = forms.CharField(required=False)


def _entries(request: HttpRequest, page: Page) -> list[dict[str, Any]]:
    """The page's rows, each with the accounts its F0 may be assigned to (one query for the whole page)."""
    can_assign = request.user.has_perm_code(Perm.ALERT_HANDLE)
    by_ward = assignees_by_ward(wards={row.case.ward for row in page}) if can_assign else {}
    return [{"row": row, "assignees": by_ward.get(row.case.ward_id, [])} for row in page]


def _list_context(request: HttpRequest, page: Page) -> dict[str, Any]:
    return {
        "page": page,
        "entries": _entries(request, page),
        "can_assign": request.user.has_perm_code(Perm.ALERT_HANDLE),
        "silence_hours": silence_hours(),
        "next": request.get_full_path(),
    }


@require_GET
@perm_required(Perm.CASE_VIEW)
def followup_view(request: HttpRequest) -> HttpResponse:
    form = FollowupFilterForm(request.GET, user=request.user)
    values = form.values()
    now = timezone.now()
    queue = followup_queue(user=request.user, now=now, **values)
    counts = followup_counts(user=request.user, now=now, **{k: v for k, v in values.items() if k != "reason"})
    # The counts already hold the length of the queue (or of one reason of it): no second count over the city.
    queue.known_count = counts.get(values["reason"] or "total")
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    context = _list_context(request, page)
    context.update(form=form, reason=values["reason"] or "", counts=counts, reasons=Reason)
    if request.htmx and not request.htmx.boosted:
        return render(request, "monitoring/followup_table.html", context)
    return render(request, "monitoring/followup.html", context)


@require_GET
@perm_required(Perm.CASE_VIEW)
def my_list_view(request: HttpRequest) -> HttpResponse:
    page = Paginator(my_cases_today(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = _list_context(request, page)
    context["is_assignee_role"] = request.user.role in ASSIGNEE_ROLES
    return render(request, "monitoring/followup_mine.html", context)


@require_GET
@perm_required(Perm.CASE_VIEW)
def daily_view(request: HttpRequest) -> HttpResponse:
    form = DailyFilterForm(request.GET, user=request.user)
    daily = ward_daily(user=request.user, **form.area_ids())
    return render(request, "monitoring/daily.html", {"form": form, "daily": daily})


def _next_url(request: HttpRequest, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return ""


@require_POST
@perm_required(Perm.ALERT_HANDLE)
def assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    case: Case = case_for_user(request.user, pk)
    form = AssignForm(request.POST)
    error = ""
    saved = False
    if not form.is_valid():
        error = _("Thiếu phiên bản của F0; hãy tải lại trang.")
    else:
        assignee_id = form.cleaned_data["assignee"]
        assignee = User.objects.select_related("area").filter(pk=assignee_id).first() if assignee_id else None
        try:
            if assignee_id and assignee is None:
                raise ValidationError({"assigned_to": _("Không tìm thấy người phụ trách đã chọn.")})
            case = case_assign(
                actor=request.user, case=case, assignee=assignee, expected_version=form.cleaned_data["version"]
            )
            saved = True
        except ValidationError as exc:
            error = " ".join(exc.messages)
    next_url = _next_url(request, form.data.get("next", ""))
    if request.htmx:
        context = {
            "case": case,
            "assignees": assignees_by_ward(wards=[case.ward])[case.ward_id],
            "error": error,
            "saved": saved,
            "next": next_url,
        }
        return render(request, "monitoring/followup_assign.html", context)
    if error:
        messages.error(request, error)
    else:
        who = _user_label(case.assigned_to) if case.assigned_to else _("chưa ai")
        messages.success(request, _("F0 %(code)s: người phụ trách là %(who)s.") % {"code": case.code, "who": who})
    return redirect(next_url or "monitoring:followup")
