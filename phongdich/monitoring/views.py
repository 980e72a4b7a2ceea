"""Pages of home monitoring: the patient's personal-link page, khai hộ, one F0's sheet and link, the alert queue."""

from collections.abc import Iterable

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from phongdich.accounts.permissions import perm_required
from phongdich.accounts.roles import Perm
from phongdich.areas.models import Level
from phongdich.areas.selectors import wards_visible_to
from phongdich.cases.models import AlertLevel
from phongdich.cases.selectors import case_for_user
from phongdich.monitoring.forms import AlertAckForm, AlertFilterForm, AlertHandleForm, DeclarationForm
from phongdich.monitoring.models import Alert, AlertAction, Channel, Declaration
from phongdich.monitoring.ratelimit import link_rate_exceeded
from phongdich.monitoring.selectors import (
    QUEUE_HANDLED_TODAY,
    alert_for_user,
    alert_queue,
    alert_summary,
    cases_to_declare,
    day_of_illness,
    declarations_of_case,
    patient_link_last_used,
    patient_link_live,
)
from phongdich.monitoring.services import (
    NotAccepted,
    alert_acknowledge,
    alert_handle,
    declaration_submit,
    declaration_submit_by_link,
    patient_link_create,
    patient_link_find,
    patient_link_revoke,
)
from phongdich.ratelimit import client_address
from phongdich.rules.registry import NoRuleInForce, rule_set_in_force

PAGE_SIZE = 50


def spo2_remeasure_threshold() -> int | None:
    """The SpO2 at or below which the triage rule set in force asks for a second measurement, for the page's
    "đo lại SpO2" field (shown always without JavaScript, or when no rule set asks for it)."""
    try:
        params = rule_set_in_force(kind="triage", on=timezone.localdate()).params
        return int(params["spo2"]["value"]) if params.get("spo2_remeasure") else None
    except (NoRuleInForce, KeyError, TypeError, ValueError):
        return None


# --- the patient's page (no account) -------------------------------------------------------------


def _link_not_found(request: HttpRequest) -> HttpResponse:
    # One page for unknown, revoked and released: nothing on it tells whether the person exists.
    return render(request, "monitoring/link_not_found.html", status=404)


@login_not_required
@require_http_methods(["GET", "POST"])
@never_cache
def link_page(request: HttpRequest, token: str) -> HttpResponse:
    """The health sheet a patient or their family fills from the personal link: no account, no session."""
    if link_rate_exceeded(token=token, address=client_address(request)):
        return render(request, "monitoring/link_rate_limited.html", status=429)
    if request.method == "POST":
        form = DeclarationForm(request.POST)
        if form.is_valid():
            try:
                declaration = declaration_submit_by_link(
                    token=token, vitals=form.vitals(), note=form.cleaned_data["note"]
                )
            except NotAccepted:
                return _link_not_found(request)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                return render(request, "monitoring/link_result.html", _result_context(declaration))
        link = patient_link_find(token)
    else:
        link = patient_link_find(token)
        form = DeclarationForm()
    if link is None:
        return _link_not_found(request)
    context = {"form": form, "case": link.case, "spo2_threshold": spo2_remeasure_threshold()}
    return render(request, "monitoring/link_form.html", context)


def _result_context(declaration: Declaration) -> dict:
    result = declaration.triage_result  # type: ignore[attr-defined]
    return {
        "declaration": declaration,
        "case": declaration.case,
        "level": declaration.alert_level,
        "levels": AlertLevel,
        "signs": declaration.signs,
        "remeasure_spo2": result.remeasure_spo2,
    }


# --- khai hộ: staff declaring on a patient's behalf ------------------------------------------------


@perm_required(Perm.DECLARATION_ENTER)
def declare_bulk(request: HttpRequest) -> HttpResponse:
    """Active home F0 of the user's area, never or longest silent first; one click opens the sheet below a row."""
    area = request.user.area
    wards = list(wards_visible_to(area)) if area is not None and area.level != Level.WARD else []
    try:
        ward_id = int(request.GET.get("ward") or 0) or None
    except ValueError:
        ward_id = None
    q = request.GET.get("q", "").strip()[:20]
    page = Paginator(cases_to_declare(user=request.user, ward_id=ward_id, q=q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    for case in page:
        case.day_of_illness = day_of_illness(confirmed_on=case.confirmed_on, today=today)
    query = "&".join(f"{k}={v}" for k, v in (("ward", ward_id or ""), ("q", q)) if v)
    context = {"page": page, "wards": wards, "ward_id": ward_id, "q": q, "query": query, "levels": AlertLevel}
    return render(request, "monitoring/declare_bulk.html", context)


@perm_required(Perm.DECLARATION_ENTER)
@require_http_methods(["GET", "POST"])
def declare(request: HttpRequest, case_id: int) -> HttpResponse:
    """The sheet for one F0, entered by staff: a full page, or (htmx) a form inline under the F0's row."""
    case = case_for_user(request.user, case_id)
    inline = bool(request.htmx) and request.GET.get("inline", request.POST.get("inline")) == "1"
    # Ids carry the case: several inline sheets can be open on the khai-hộ list at once.
    form = DeclarationForm(request.POST or None, auto_id=f"c{case.pk}_%s")
    if request.method == "POST" and form.is_valid():
        try:
            declaration = declaration_submit(
                case=case, vitals=form.vitals(), note=form.cleaned_data["note"], channel=Channel.STAFF,
                entered_by=request.user,
            )  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if inline:
                return render(request, "monitoring/_declare_saved.html", {"case": case, "declaration": declaration})
            messages.success(
                request,
                _("Đã lưu phiếu theo dõi của %(code)s: %(level)s.")
                % {"code": case.code, "level": declaration.get_alert_level_display()},
            )
            return redirect("monitoring:declare", case_id=case.pk)
    template = "monitoring/_declare_inline.html" if inline else "monitoring/declare.html"
    context = {"case": case, "form": form, "levels": AlertLevel, "spo2_threshold": spo2_remeasure_threshold()}
    if not inline:
        context["declarations"] = declarations_of_case(case=case)
    return render(request, template, context)


# --- the personal link of one F0 ---------------------------------------------------------------------


@perm_required(Perm.DECLARATION_ENTER)
@require_http_methods(["GET", "POST"])
@never_cache
def link_manage(request: HttpRequest, case_id: int) -> HttpResponse:
    """Create (replacing the old one) or revoke an F0's personal link; a new link is shown once, with a QR code."""
    case = case_for_user(request.user, case_id)
    context: dict = {"case": case}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "create":
                _link, raw = patient_link_create(actor=request.user, case=case)
                url = request.build_absolute_uri(reverse("monitoring:link", kwargs={"token": raw}))
                context.update(new_url=url, qr=segno.make(url).svg_inline(scale=4))
            elif action == "revoke":
                live = patient_link_live(case=case)
                if live is not None:
                    live.case = case
                    patient_link_revoke(actor=request.user, link=live)
                    messages.success(request, _("Đã thu hồi liên kết khai báo; liên kết cũ không dùng được nữa."))
                return redirect("monitoring:link_manage", case_id=case.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("monitoring:link_manage", case_id=case.pk)
    context["link"] = link = patient_link_live(case=case)
    context["last_used_at"] = patient_link_last_used(link=link) if link else None
    return render(request, "monitoring/link_manage.html", context)


# --- the alert queue ---------------------------------------------------------------------------------


@perm_required(Perm.CASE_VIEW)
def alerts(request: HttpRequest) -> HttpResponse:
    """Alerts of the user's area by level then waiting time, with counts per ward (district) or district (city)."""
    form = AlertFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    now = timezone.now()
    page = Paginator(alert_queue(user=request.user, filters=filters, now=now), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    _decorate(page)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "summary": alert_summary(user=request.user, filters=filters, now=now),
        "handled_tab": filters.tab == QUEUE_HANDLED_TODAY,
        "can_handle": request.user.has_perm_code(Perm.ALERT_HANDLE),
        "levels": AlertLevel,
        "actions": AlertAction.choices,
        "per_city": request.user.area is not None and request.user.area.level == Level.PROVINCE,
    }
    return render(request, "monitoring/alerts.html", context)


def _decorate(alerts: Iterable[Alert]) -> None:
    today = timezone.localdate()
    for alert in alerts:
        alert.day_of_illness = day_of_illness(confirmed_on=alert.case.confirmed_on, today=today)


@perm_required(Perm.ALERT_HANDLE)
@require_POST
def alert_handle_view(request: HttpRequest, alert_id: int) -> HttpResponse:
    """Acknowledge ("Nhận") or handle an alert; a stale version is refused and the row reloaded."""
    alert = alert_for_user(request.user, alert_id)
    error = ""
    if request.POST.get("step") == "ack":
        form: AlertAckForm | AlertHandleForm = AlertAckForm(request.POST)
        if form.is_valid():
            try:
                alert = alert_acknowledge(actor=request.user, alert=alert, version=form.cleaned_data["version"])
            except ValidationError as exc:
                error = " ".join(exc.messages)
    else:
        form = AlertHandleForm(request.POST)
        if form.is_valid():
            try:
                alert = alert_handle(
                    actor=request.user, alert=alert, action=form.cleaned_data["action"],
                    note=form.cleaned_data["note"], version=form.cleaned_data["version"],
                )  # fmt: skip
            except ValidationError as exc:
                error = " ".join(exc.messages)
    if not form.is_valid():
        error = " ".join(str(m) for messages_ in form.errors.values() for m in messages_)
    if request.htmx:
        alert = alert_for_user(request.user, alert_id)
        _decorate([alert])
        context = {"alert": alert, "error": error, "can_handle": True, "actions": AlertAction.choices}
        return render(request, "monitoring/_alert_row.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Đã cập nhật cảnh báo của %(code)s.") % {"code": alert.case.code})
    return redirect("monitoring:alerts")
