"""Staff pages of the hotline: the queue (ward, district, city), one request with its history and actions, intake."""

from collections.abc import Iterable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from phongdich.accounts.models import User
from phongdich.accounts.permissions import perm_required
from phongdich.accounts.roles import Perm
from phongdich.areas.models import Area
from phongdich.areas.selectors import wards_visible_to
from phongdich.hotline.forms import ActionForm, IntakeForm, QueueFilterForm
from phongdich.hotline.models import Request, Status
from phongdich.hotline.routing import ward_from_address
from phongdich.hotline.selectors import (
    TAB_DONE,
    TAB_OVERDUE,
    assignable_users,
    caller_history,
    owned_category_ids,
    request_counts,
    request_events,
    request_for_user,
    request_queue,
    request_thread,
)
from phongdich.hotline.services import request_create, request_transition
from phongdich.hotline.workflow import ACTIONS, actions_available, time_left_label
from phongdich.people.identity import InvalidValue, parse_phone

PAGE_SIZE = 50


def decorate(items: Iterable[Request], now: object = None) -> None:
    """Time left (or overdue by) for each request, as the queue and the detail page show it."""
    now = now or timezone.now()
    for item in items:
        item.overdue = item.is_open and item.due_at <= now
        item.time_left = time_left_label(item.due_at, now) if item.is_open else ""


@perm_required(Perm.REQUEST_HANDLE)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Open requests of the user's area by due time, overdue first in red; the "Quá hạn" and "done" tabs."""
    user: User = request.user  # type: ignore[assignment]
    form = QueueFilterForm(request.GET or None, user=user)
    filters = form.filters()
    now = timezone.now()
    page = Paginator(request_queue(user=user, filters=filters, now=now), PAGE_SIZE).get_page(request.GET.get("page"))
    decorate(page, now)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form, "page": page, "query": query.urlencode(), "counts": request_counts(user=user, now=now),
        "tab": filters.tab, "TAB_OVERDUE": TAB_OVERDUE, "TAB_DONE": TAB_DONE,
        "has_own_queue": owned_category_ids(user) is not None, "can_take": user.has_perm_code(Perm.REQUEST_TAKE),
    }  # fmt: skip
    return render(request, "hotline/queue.html", context)


@perm_required(Perm.REQUEST_HANDLE)
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = request_for_user(request.user, pk)  # type: ignore[arg-type]
    decorate([item])
    assignees = list(assignable_users(item))
    context = {
        "item": item,
        "events": request_events(item),
        "thread": [r for r in request_thread(item) if r.pk != item.pk],
        "actions": actions_available(item.status),
        "form": ActionForm(assignees=assignees, initial={"version": item.version}),
        "Status": Status,
    }
    return render(request, "hotline/detail.html", context)


@perm_required(Perm.REQUEST_HANDLE)
@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    """One workflow action from the detail page; a refusal (stale version, missing answer…) is shown there."""
    user: User = request.user  # type: ignore[assignment]
    item = request_for_user(user, pk)
    form = ActionForm(request.POST, assignees=list(assignable_users(item)))
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
        return redirect("hotline:detail", pk=pk)
    data = form.cleaned_data
    try:
        request_transition(
            actor=user, item=item, to_status=ACTIONS[data["action"]], version=data["version"], note=data["note"],
            assignee=form.assignees.get(data["assigned_to"]) if data["assigned_to"] else None,
            answer=data["answer"], transferred_to=data["transferred_to"],
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã cập nhật yêu cầu %(code)s.") % {"code": item.code})
    return redirect("hotline:detail", pk=pk)


# --- intake --------------------------------------------------------------------------------------------


@perm_required(Perm.REQUEST_TAKE)
def intake(request: HttpRequest) -> HttpResponse:
    """The operator's form: phone first (earlier requests and F0 with it appear), routed ward, then the code to read."""
    user: User = request.user  # type: ignore[assignment]
    form = IntakeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ward = wards_visible_to(user.area).filter(pk=data["ward"]).first() if data["ward"] else None  # type: ignore[arg-type]
        try:
            item = request_create(
                actor=user, category=data["category"], channel=data["channel"], message=data["message"],
                caller_phone=data["caller_phone"], caller_name=data["caller_name"],
                caller_address=data["caller_address"], ward=ward,
            )  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        else:
            decorate([item])
            return render(request, "hotline/intake_done.html", {"item": item})
    return render(request, "hotline/intake.html", {"form": form})


@perm_required(Perm.REQUEST_TAKE)
@require_GET
def caller(request: HttpRequest) -> HttpResponse:
    """htmx, on leaving the phone field: the caller's earlier requests and persons / F0 with that number in scope."""
    raw = request.GET.get("caller_phone", "")
    context: dict[str, object] = {"raw": raw}
    if raw.strip():
        try:
            phone = parse_phone(raw)
        except InvalidValue as error:
            context["error"] = str(error)
        else:
            context["phone"] = phone
            context["history"] = caller_history(user=request.user, phone=phone)  # type: ignore[arg-type]
    return render(request, "hotline/_caller.html", context)


@perm_required(Perm.REQUEST_TAKE)
@require_GET
def route(request: HttpRequest) -> HttpResponse:
    """htmx, on leaving the address field: the ward select with the ward the address names chosen."""
    user: User = request.user  # type: ignore[assignment]
    address = request.GET.get("caller_address", "")
    found = ward_from_address(address)
    ward: Area | None = found.ward
    if ward is not None and not wards_visible_to(user.area).filter(pk=ward.pk).exists():  # type: ignore[arg-type]
        found_problem = _("%(ward)s nằm ngoài địa bàn của bạn.") % {"ward": ward.name}
        ward = None
    else:
        found_problem = found.problem if address.strip() else ""
    form = IntakeForm(user=user, initial={"ward": ward.pk if ward else None})
    context = {"field": form["ward"], "ward": ward, "problem": found_problem}
    return render(request, "hotline/_ward_field.html", context)
