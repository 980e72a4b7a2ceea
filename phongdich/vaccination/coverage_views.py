"""Pages of coverage and outreach: coverage by area and age group with its trend, the due list (on screen,
printable A4, xlsx), campaign days planned against done, and the denominators with their history."""

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from phongdich.accounts.models import User
from phongdich.accounts.permissions import perm_required
from phongdich.accounts.roles import Perm
from phongdich.areas.filters import area_filter_fields
from phongdich.areas.models import Area, Level
from phongdich.areas.scoping import areas_within
from phongdich.areas.selectors import wards_visible_to
from phongdich.people.forms import DateField, WardChoiceField
from phongdich.vaccination.coverage import (
    PRINT_LIMIT,
    campaign_day_create,
    campaign_day_for_user,
    campaign_day_update,
    campaign_days,
    coverage_scope,
    coverage_table,
    coverage_trend,
    denominator_history,
    denominators,
    due_list,
    due_list_export,
    due_list_rows,
    due_page,
    population_by_age_set,
)
from phongdich.vaccination.models import AgeGroup

PAGE_SIZE = 50
# The columns of due_list_rows, in order.
PRINT_KEYS = ("no", "name", "age", "phone", "address", "ward", "last_product", "last_dose_on", "next_kind",
              "next_due_on", "overdue", "reason", "homebound", "sign")  # fmt: skip
TREND_WEEKS = 12
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form_errors(form: forms.Form, exc: ValidationError) -> None:
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


# --- coverage --------------------------------------------------------------------------------------------


class CoverageFilterForm(forms.Form):
    on = DateField(label=gettext_lazy("Tính đến ngày"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_filter_fields(self, area=user.area, data=self.data)
        # The rows are the wards of the chosen district: a ward filter would leave one row.
        self.fields.pop("ward", None)

    def values(self) -> dict[str, Any]:
        self.is_valid()
        return {"on": self.cleaned_data.get("on"), "district_id": self.cleaned_data.get("district")}


@require_GET
@perm_required(Perm.PERSON_VIEW)
def coverage_view(request: HttpRequest) -> HttpResponse:
    form = CoverageFilterForm(request.GET, user=request.user)
    values = form.values()
    table = coverage_table(user=request.user, **values)
    trend = coverage_trend(user=request.user, weeks=TREND_WEEKS, on=table.on, district_id=values["district_id"])
    chart = {
        "labels": [p.week_end.strftime("%d/%m") for p in trend],
        "vaccinated": [p.vaccinated for p in trend],
        "primary": [p.primary for p in trend],
    }
    context = {
        "form": form,
        "table": table,
        "trend": trend,
        "chart": chart,
        "is_today": table.on == timezone.localdate(),
    }
    return render(request, "vaccination/coverage.html", context)


# --- due lists -------------------------------------------------------------------------------------------

AGE_CHOICES = [("", gettext_lazy("Mọi tuổi")), ("18", gettext_lazy("Từ 18 tuổi")), ("50", gettext_lazy("Từ 50 tuổi")),
               ("65", gettext_lazy("Từ 65 tuổi"))]  # fmt: skip


class DueFilterForm(forms.Form):
    """GET filters of the due list; an invalid value is left out, the others still apply."""

    overdue = forms.BooleanField(label=gettext_lazy("Chỉ người quá hạn"), required=False)
    min_age = forms.TypedChoiceField(
        label=gettext_lazy("Tuổi"), choices=AGE_CHOICES, coerce=int, empty_value=None, required=False
    )
    priority = forms.BooleanField(label=gettext_lazy("Chỉ nhóm ưu tiên"), required=False)
    homebound = forms.TypedChoiceField(
        label=gettext_lazy("Tiêm lưu động"),
        choices=[
            ("", gettext_lazy("Tất cả")),
            ("1", gettext_lazy("Không đi lại được")),
            ("0", gettext_lazy("Đến điểm tiêm được")),
        ],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_filter_fields(self, area=user.area, data=self.data)

    def values(self) -> dict[str, Any]:
        self.is_valid()
        data = self.cleaned_data
        return {
            "ward_id": data.get("ward"), "district_id": data.get("district"), "overdue_only": bool(data.get("overdue")),
            "min_age": data.get("min_age"), "priority_only": bool(data.get("priority")), "homebound": data.get("homebound"),
        }  # fmt: skip


def _due(request: HttpRequest) -> tuple[DueFilterForm, dict[str, Any], date]:
    form = DueFilterForm(request.GET, user=request.user)
    return form, form.values(), timezone.localdate()


@require_GET
@perm_required(Perm.PERSON_VIEW)
def due_view(request: HttpRequest) -> HttpResponse:
    form, values, on = _due(request)
    rows = due_list(user=request.user, on=on, **values)
    page = due_page(rows, number=request.GET.get("page"), per_page=PAGE_SIZE)
    query = request.GET.urlencode()
    context = {"form": form, "page": page, "on": on, "query": query, "print_limit": PRINT_LIMIT}
    return render(request, "vaccination/due.html", context)


@require_GET
@perm_required(Perm.PERSON_VIEW)
def due_print_view(request: HttpRequest) -> HttpResponse:
    """The due list on A4 paper for a team going door to door: one page per ~25 people, a column to sign."""
    form, values, on = _due(request)
    scope = coverage_scope(user=request.user, district_id=values["district_id"], ward_id=values["ward_id"])
    rows = due_list(user=request.user, on=on, **values)
    # Named cells: the template reads `r.name` at once, where `r.1` costs Django a failed lookup per cell.
    cells = [dict(zip(PRINT_KEYS, row, strict=True)) for row in due_list_rows(rows=rows, on=on)]
    context = {
        "form": form, "scope": scope, "on": on, "rows": cells, "values": values, "truncated": len(cells) >= PRINT_LIMIT,
        "print_limit": PRINT_LIMIT, "back": request.GET.urlencode(),
    }  # fmt: skip
    return render(request, "vaccination/due_print.html", context)


@require_GET
@perm_required(Perm.PERSON_VIEW)
def due_export_view(request: HttpRequest) -> HttpResponse:
    _form, values, on = _due(request)
    scope = coverage_scope(user=request.user, district_id=values["district_id"], ward_id=values["ward_id"])
    rows = due_list(user=request.user, on=on, **values)
    content = due_list_export(actor=request.user, rows=rows, scope=scope, on=on, filters=values)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="den-han-tiem-{scope.code}-{on:%Y%m%d}.xlsx"'
    return response


# --- campaign days ---------------------------------------------------------------------------------------


class CampaignFilterForm(forms.Form):
    campaign = forms.CharField(label=gettext_lazy("Chiến dịch"), required=False)
    date_from = DateField(label=gettext_lazy("Từ ngày"), required=False)
    date_to = DateField(label=gettext_lazy("đến ngày"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_filter_fields(self, area=user.area, data=self.data)

    def values(self) -> dict[str, Any]:
        self.is_valid()
        data = self.cleaned_data
        return {
            "campaign": data.get("campaign") or "", "date_from": data.get("date_from"), "date_to": data.get("date_to"),
            "ward_id": data.get("ward"), "district_id": data.get("district"),
        }  # fmt: skip


class CampaignDayForm(forms.Form):
    campaign = forms.CharField(label=gettext_lazy("Chiến dịch"), max_length=200)
    ward = WardChoiceField(label=gettext_lazy("Phường/xã"), queryset=Area.objects.none())
    day = DateField(label=gettext_lazy("Ngày"))
    site = forms.CharField(label=gettext_lazy("Điểm tiêm"), max_length=200)
    planned = forms.IntegerField(label=gettext_lazy("Số mũi dự kiến"), min_value=0)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = wards_visible_to(user.area) if user.area else Area.objects.none()


class CampaignDayUpdateForm(forms.Form):
    campaign = forms.CharField(label=gettext_lazy("Chiến dịch"), max_length=200)
    day = DateField(label=gettext_lazy("Ngày"))
    site = forms.CharField(label=gettext_lazy("Điểm tiêm"), max_length=200)
    planned = forms.IntegerField(label=gettext_lazy("Số mũi dự kiến"), min_value=0)


@require_http_methods(["GET", "POST"])
@perm_required(Perm.PERSON_VIEW)
def campaigns_view(request: HttpRequest) -> HttpResponse:
    can_edit = request.user.has_perm_code(Perm.VACCINATION_EDIT)
    create_form = CampaignDayForm(user=request.user) if can_edit else None
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        create_form = CampaignDayForm(request.POST, user=request.user)
        if create_form.is_valid():
            try:
                row = campaign_day_create(actor=request.user, **create_form.cleaned_data)
            except ValidationError as exc:
                _form_errors(create_form, exc)
            else:
                messages.success(
                    request,
                    _("Đã thêm ngày tiêm %(day)s tại %(site)s.") % {"day": f"{row.day:%d/%m/%Y}", "site": row.site},
                )
                return redirect("vaccination:campaigns")
        status = 422
    form = CampaignFilterForm(request.GET, user=request.user)
    summary = campaign_days(user=request.user, **form.values())
    context = {"form": form, "summary": summary, "create_form": create_form, "can_edit": can_edit}
    return render(request, "vaccination/campaigns.html", context, status=status)


@require_http_methods(["GET", "POST"])
@perm_required(Perm.VACCINATION_EDIT)
def campaign_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    row = campaign_day_for_user(request.user, pk)
    initial = {"campaign": row.campaign, "day": row.day, "site": row.site, "planned": row.planned}
    form = CampaignDayUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            campaign_day_update(actor=request.user, campaign_day=row, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu ngày tiêm."))
            return redirect("vaccination:campaigns")
    status = 422 if request.method == "POST" else 200
    return render(request, "vaccination/campaign_update.html", {"form": form, "row": row}, status=status)


# --- denominators ----------------------------------------------------------------------------------------


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return f"{obj.name} — {obj.parent.name}" if obj.level == Level.WARD and obj.parent else obj.name


class PopulationByAgeForm(forms.Form):
    area = AreaChoiceField(label=gettext_lazy("Địa bàn"), queryset=Area.objects.none())
    age_group = forms.ChoiceField(label=gettext_lazy("Nhóm tuổi"), choices=AgeGroup.choices)
    population = forms.IntegerField(label=gettext_lazy("Số người"), min_value=0)
    effective_from = DateField(label=gettext_lazy("Áp dụng từ ngày"))
    note = forms.CharField(label=gettext_lazy("Lý do thay đổi"), max_length=255, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = areas_within(user.area) if user.area else Area.objects.none()
        self.fields["area"].queryset = areas.select_related("parent").order_by("level", "parent__code", "code")


@require_http_methods(["GET", "POST"])
@perm_required(Perm.PERSON_VIEW)
def population_view(request: HttpRequest) -> HttpResponse:
    """The denominators in force in the user's area by age group, each change with its date and reason."""
    can_edit = request.user.has_perm_code(Perm.POPULATION_EDIT)
    scope = coverage_scope(user=request.user)
    form = PopulationByAgeForm(user=request.user) if can_edit else None
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = PopulationByAgeForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                population_by_age_set(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu mẫu số."))
                return redirect("vaccination:population")
        status = 422
    today = timezone.localdate()
    in_force = denominators(areas=[scope], on=today)
    current = [(label, in_force.get((scope.pk, key))) for key, label in AgeGroup.choices]
    context = {
        "scope": scope, "today": today, "current": current, "history": denominator_history(area=scope, limit=200),
        "form": form, "can_edit": can_edit,
    }  # fmt: skip
    return render(request, "vaccination/coverage_population.html", context, status=status)
