"""Pages of the care app: facilities and beds, medicine stock, dispensing a package and moving an F0."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from phongdich.accounts.permissions import perm_required
from phongdich.accounts.roles import Perm
from phongdich.areas.models import Area
from phongdich.care.forms import (
    HOME,
    DispenseForm,
    FacilityFilterForm,
    FacilityForm,
    StockForm,
    TransferForm,
)
from phongdich.care.models import MovementKind, Package
from phongdich.care.selectors import (
    dispensings_for_case,
    facility_choices_by_tier,
    facility_districts,
    facility_editable_district_ids,
    facility_for_edit,
    facility_for_transfer,
    facility_list,
    facility_totals,
    prescriber_choices,
    stock_areas,
    stock_for_user,
    stock_lines,
    transfers_for_case,
)
from phongdich.care.services import (
    FacilityFull,
    case_discharge_home,
    case_transfer,
    facility_create,
    facility_update,
    medicine_dispense,
    stock_adjust,
    stock_receive,
)
from phongdich.cases.selectors import case_for_user
from phongdich.rules.registry import NoRuleInForce, rule_set_in_force

PAGE_SIZE = 50


def _add_errors(form: Form, error: ValidationError, rename: dict[str, str] | None = None) -> None:
    """Show a service's ValidationError on the form, under the field it names when the form has one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.error_dict.items():
        field = (rename or {}).get(key, key)
        form.add_error(field if field in form.fields else None, errors)


# --- facilities ----------------------------------------------------------------------------------


@require_GET
def facility_list_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = FacilityFilterForm(request.GET or None, districts=facility_districts(user))
    filters = form.cleaned_data if form.is_valid() else {}
    district = filters.get("district")
    facilities = facility_list(user=user, tier=filters.get("tier"), district_id=district.pk if district else None)
    page = Paginator(facilities, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "care/facility_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "totals": facility_totals(facilities),
            "editable": facility_editable_district_ids(user),
            "can_create": user.has_perm_code(Perm.FACILITY_EDIT),
        },
    )


def _editable_districts(request: HttpRequest):  # type: ignore[no-untyped-def]
    return Area.objects.filter(pk__in=facility_editable_district_ids(request.user)).order_by("code")


@perm_required(Perm.FACILITY_EDIT)
def facility_create_view(request: HttpRequest) -> HttpResponse:
    form = FacilityForm(request.POST or None, districts=_editable_districts(request))
    if request.method == "POST" and form.is_valid():
        try:
            facility = facility_create(actor=request.user, data=form.facility_data())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã thêm cơ sở “%(name)s”.") % {"name": facility.name})
            return redirect("care:facilities")
    context = {"form": form, "facility": None}
    return render(request, "care/facility_form.html", context, status=422 if form.errors else 200)


@perm_required(Perm.FACILITY_EDIT)
def facility_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    facility = facility_for_edit(request.user, pk)
    districts = _editable_districts(request)
    if request.method == "POST":
        form = FacilityForm(request.POST, districts=districts)
        if form.is_valid():
            try:
                facility_update(actor=request.user, facility=facility, data=form.facility_data())
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Đã lưu cơ sở “%(name)s”.") % {"name": facility.name})
                return redirect("care:facilities")
    else:
        form = FacilityForm(initial=FacilityForm.initial_for(facility), districts=districts)
    context = {"form": form, "facility": facility}
    return render(request, "care/facility_form.html", context, status=422 if form.errors else 200)


# --- stock ---------------------------------------------------------------------------------------------


def stock_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    can_edit = user.has_perm_code(Perm.STOCK_EDIT)
    form = StockForm(request.POST or None, areas=stock_areas(user).order_by("level", "code")) if can_edit else None
    if request.method == "POST":
        if form is None:
            return HttpResponse(status=403)
        if form.is_valid():
            data = form.cleaned_data
            service = stock_receive if data["kind"] == MovementKind.RECEIVED else stock_adjust
            try:
                stock = service(
                    actor=user, area=data["area"], package=data["package"], quantity=data["quantity"], note=data["note"]
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Đã ghi vào kho %(area)s: túi %(p)s còn %(n)s.")
                    % {"area": stock.area.name, "p": stock.package, "n": stock.balance},
                )
                return redirect("care:stock")
    context = {"lines": stock_lines(stock_for_user(user)), "packages": Package.values, "form": form}
    return render(request, "care/stock.html", context, status=422 if form is not None and form.errors else 200)


# --- one F0 --------------------------------------------------------------------------------------------


@perm_required(Perm.MEDICINE_DISPENSE)
def dispense_view(request: HttpRequest, case_id: int) -> HttpResponse:
    user = request.user
    case = case_for_user(user, case_id)
    doctors = prescriber_choices(case)
    initial = {"prescribed_by": user.pk} if doctors.filter(pk=user.pk).exists() else {}
    form = DispenseForm(request.POST or None, doctors=doctors, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            dispensing = medicine_dispense(actor=user, case=case, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Đã cấp túi thuốc %(p)s cho %(code)s (từ kho %(area)s).")
                % {"p": dispensing.package, "code": case.code, "area": dispensing.from_area.name},
            )
            return redirect("cases:detail", pk=case.pk)
    try:
        rule_set = rule_set_in_force(kind="medicine", on=timezone.localdate())
    except NoRuleInForce:
        rule_set = None
    context = {
        "case": case,
        "form": form,
        "rule_set": rule_set,
        "packages": rule_set.params["packages"].items() if rule_set else [],
        "dispensings": dispensings_for_case(case),
    }
    return render(request, "care/dispense.html", context, status=422 if form.errors else 200)


@perm_required(Perm.CASE_TRANSFER)
def transfer_view(request: HttpRequest, case_id: int) -> HttpResponse:
    user = request.user
    case = case_for_user(user, case_id)
    at_facility = case.facility_id is not None
    form = TransferForm(
        request.POST or None,
        groups=facility_choices_by_tier(user),
        at_facility=at_facility,
        initial={"version": case.version},
    )
    suggestions = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["destination"] == HOME:
                case_discharge_home(actor=user, case=case, reason=data["reason"], expected_version=data["version"])
                done = _("Đã cho %(code)s ra viện, về điều trị tại nhà.") % {"code": case.code}
            else:
                facility = facility_for_transfer(user, int(data["destination"]))
                if facility is None:
                    raise ValidationError({"facility": _("Không tìm thấy cơ sở điều trị đã chọn.")})
                case_transfer(
                    actor=user, case=case, facility=facility, reason=data["reason"], expected_version=data["version"]
                )
                done = _("Đã chuyển %(code)s đến %(name)s.") % {"code": case.code, "name": facility.name}
        except FacilityFull as full:
            suggestions = full.suggestions
            _add_errors(form, full, {"facility": "destination"})
        except ValidationError as error:
            _add_errors(form, error, {"facility": "destination"})
        else:
            messages.success(request, done)
            return redirect("cases:detail", pk=case.pk)
    context = {
        "case": case,
        "form": form,
        "suggestions": suggestions,
        "transfers": transfers_for_case(case),
    }
    return render(request, "care/transfer.html", context, status=422 if form.errors else 200)
