"""Pages of allowances: the ward list with paid and owed, one entitlement and its payments, entering
entitlements (one person or a whole team), recording a payment inline, who is still owed, the public list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from phongdich.accounts.permissions import perm_required
from phongdich.accounts.roles import Perm
from phongdich.areas.selectors import wards_visible_to
from phongdich.support.amounts import short_name
from phongdich.support.forms import (
    CancelForm,
    EntitlementFilterForm,
    EntitlementForm,
    OwedFilterForm,
    PaymentForm,
    TeamEntitlementForm,
)
from phongdich.support.models import Entitlement
from phongdich.support.selectors import (
    entitlement_for_user,
    entitlement_list,
    entitlement_payments,
    entitlement_totals,
    owed_by_ward,
    owed_people,
    payment_for_user,
    public_entitlements,
    public_ward,
    rate_choices,
)
from phongdich.support.services import (
    entitlement_cancel,
    entitlement_create,
    entitlements_create_for_team,
    payment_cancel,
    payment_record,
)
from phongdich.teams.models import TeamMember
from phongdich.teams.selectors import teams_visible_to

PAGE_SIZE = 50


def add_errors(form: Form, error: ValidationError) -> None:
    """Show a service's ValidationError under the field it names when the form has one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.error_dict.items():
        form.add_error(key if key in form.fields else None, errors)


def _filters(form: Form) -> dict:
    data = form.cleaned_data if form.is_valid() else {}
    return {"district_id": data.get("district"), "ward_id": data.get("ward")}


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
def list_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = EntitlementFilterForm(request.GET or None, area=user.area)
    state = form.cleaned_data.get("state", "") if form.is_valid() else ""
    rows = entitlement_list(user=user, state=state, **_filters(form))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form, "page": page, "totals": entitlement_totals(rows), "query": _query(request),
        "can_edit": user.has_perm_code(Perm.PAYMENT_EDIT), "today": timezone.localdate(),
    }  # fmt: skip
    return render(request, "support/list.html", context)


def _detail(request: HttpRequest, entitlement: Entitlement, **forms: Form) -> HttpResponse:
    can_edit = request.user.has_perm_code(Perm.PAYMENT_EDIT)
    context = {
        "e": entitlement, "payments": entitlement_payments(entitlement), "can_edit": can_edit,
        "payment_form": forms.get("payment_form") or PaymentForm(initial={"paid_on": timezone.localdate()}),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
    }  # fmt: skip
    return render(request, "support/detail.html", context, status=422 if forms else 200)


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, entitlement_for_user(request.user, pk))


def _entitlement_form(request: HttpRequest) -> EntitlementForm:
    user = request.user
    members = TeamMember.objects.filter(team__in=teams_visible_to(user)).select_related("team__ward")
    return EntitlementForm(
        request.POST or None, rates=rate_choices(), members=members.order_by("team__ward__code", "team__name", "id"),
        wards=wards_visible_to(user.area) if user.area else None,
    )  # fmt: skip


@perm_required(Perm.PAYMENT_EDIT)
def create(request: HttpRequest) -> HttpResponse:
    form = _entitlement_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            entitlement = entitlement_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã lập khoản được hưởng cho %(name)s.") % {"name": entitlement.full_name})
            return redirect("support:detail", pk=entitlement.pk)
    return render(request, "support/create.html", {"form": form}, status=422 if form.errors else 200)


@perm_required(Perm.PAYMENT_EDIT)
def create_for_team(request: HttpRequest) -> HttpResponse:
    teams = teams_visible_to(request.user).select_related("ward").order_by("ward__code", "name")
    form = TeamEntitlementForm(request.POST or None, teams=teams, rates=rate_choices())
    if request.method == "POST" and form.is_valid():
        try:
            result = entitlements_create_for_team(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            team = form.cleaned_data["team"]
            messages.success(
                request, _("Đã lập %(n)d khoản cho tổ “%(team)s”.") % {"n": len(result.created), "team": team.name}
            )
            if result.skipped:
                messages.warning(
                    request,
                    _("Bỏ qua (đã có khoản trùng thời gian): %(names)s.") % {"names": ", ".join(result.skipped)},
                )
            return redirect(f"{reverse('support:list')}?ward={team.ward_id}")
    return render(request, "support/create_team.html", {"form": form}, status=422 if form.errors else 200)


@require_POST
@perm_required(Perm.PAYMENT_EDIT)
def pay(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a payment. From the list (htmx) the row is swapped in place; otherwise back to the detail page."""
    entitlement = entitlement_for_user(request.user, pk)
    form = PaymentForm(request.POST)
    saved = False
    if form.is_valid():
        try:
            payment_record(actor=request.user, entitlement=entitlement, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            saved = True
    if request.htmx:
        entitlement.refresh_from_db(fields=["paid"])
        context = {"e": entitlement, "can_edit": True, "form": form if not saved else None, "saved": saved,
                   "today": timezone.localdate()}  # fmt: skip
        return render(request, "support/_row.html", context)  # htmx swaps only 2xx answers
    if saved:
        messages.success(request, _("Đã ghi chi trả cho %(name)s.") % {"name": entitlement.full_name})
        return redirect("support:detail", pk=entitlement.pk)
    return _detail(request, entitlement, payment_form=form)


@require_POST
@perm_required(Perm.PAYMENT_EDIT)
def payment_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    payment = payment_for_user(request.user, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            payment_cancel(actor=request.user, payment=payment, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Đã huỷ lần chi trả, số tiền được tính là còn nợ."))
    else:
        messages.error(request, _("Cần ghi lý do huỷ chi trả."))
    return redirect("support:detail", pk=payment.entitlement_id)


@require_POST
@perm_required(Perm.PAYMENT_EDIT)
def entitlement_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    entitlement = entitlement_for_user(request.user, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            entitlement_cancel(actor=request.user, entitlement=entitlement, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã huỷ khoản được hưởng của %(name)s.") % {"name": entitlement.full_name})
            return redirect("support:detail", pk=entitlement.pk)
    return _detail(request, entitlement, cancel_form=form)


@require_GET
def owed(request: HttpRequest) -> HttpResponse:
    """Who is still owed: by ward for a district or the city; the people themselves once a ward is chosen."""
    user = request.user
    form = OwedFilterForm(request.GET or None, area=user.area)
    filters = _filters(form)
    order = (form.cleaned_data.get("order") if form.is_valid() else "") or "owed"
    by_person = bool(filters["ward_id"]) or (user.area is not None and user.area.is_ward)
    context = {"form": form, "order": order, "by_person": by_person, "query": _query(request)}
    if by_person:
        rows = owed_people(user=user, order=order, **filters)
        context["page"] = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        context["totals"] = entitlement_totals(rows)
    else:
        wards = owed_by_ward(user=user, district_id=filters["district_id"], order=order)
        context["wards"] = wards
        context["total_owed"] = sum(w.owed for w in wards)
        context["total_people"] = sum(w.people for w in wards)
    return render(request, "support/owed.html", context)


@login_not_required
@require_GET
def public_list(request: HttpRequest, ward_code: str) -> HttpResponse:
    """Public: who in the ward is owed what and what was paid. Shortened names; no phone, no ID."""
    ward = public_ward(ward_code)
    rows = public_entitlements(ward)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    lines = [
        {
            "name": short_name(e.full_name), "role": e.team.name if e.team else e.unit_name, "start_on": e.start_on,
            "end_on": e.end_on, "days": e.days_served, "amount": e.amount, "paid": e.paid, "owed": e.owed,
            "document": e.document, "rate": e.rate.name,
        }
        for e in page
    ]  # fmt: skip
    context = {"ward": ward, "page": page, "lines": lines, "totals": entitlement_totals(rows)}
    return render(request, "support/public.html", context)
