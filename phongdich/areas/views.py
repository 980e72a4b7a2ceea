"""Ward populations: the table for the user's area, inline edits, spreadsheet upload and download."""

import io
from dataclasses import dataclass, field

import xlsxwriter
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from phongdich.accounts.permissions import perm_required
from phongdich.accounts.roles import Perm
from phongdich.areas.forms import PopulationForm, PopulationImportForm
from phongdich.areas.models import Area
from phongdich.areas.selectors import wards_visible_to
from phongdich.areas.services import population_import, population_set


@dataclass
class DistrictGroup:
    district: Area
    wards: list[Area] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(w.population or 0 for w in self.wards)

    @property
    def missing(self) -> int:
        return sum(1 for w in self.wards if w.population is None)


def _user_area(request: HttpRequest) -> Area:
    area = request.user.area
    if area is None:
        raise PermissionDenied
    return area


def _groups(area: Area) -> list[DistrictGroup]:
    """The wards of `area` grouped by district, in code order (one query)."""
    groups: dict[int, DistrictGroup] = {}
    for ward in wards_visible_to(area):
        groups.setdefault(ward.parent_id, DistrictGroup(district=ward.parent)).wards.append(ward)
    return list(groups.values())


def _table_context(request: HttpRequest, area: Area) -> dict[str, object]:
    groups = _groups(area)
    return {
        "area": area,
        "groups": groups,
        "total": sum(g.total for g in groups),
        "missing": sum(g.missing for g in groups),
        "ward_count": sum(len(g.wards) for g in groups),
        "can_edit": request.user.has_perm_code(Perm.POPULATION_EDIT),
    }


@require_GET
def population(request: HttpRequest) -> HttpResponse:
    area = _user_area(request)
    context = _table_context(request, area)
    context["import_form"] = PopulationImportForm()
    return render(request, "areas/population.html", context)


@require_POST
@perm_required(Perm.POPULATION_EDIT)
def population_row(request: HttpRequest, ward_id: int) -> HttpResponse:
    """Set one ward's population; htmx swaps the row and the totals, a plain POST returns to the table."""
    area = _user_area(request)
    ward = get_object_or_404(wards_visible_to(area), pk=ward_id)
    form = PopulationForm(request.POST)
    if form.is_valid() and form.cleaned_data["population"] != ward.population:
        population_set(actor=request.user, ward=ward, population=form.cleaned_data["population"])
    if not request.htmx:
        if form.is_valid():
            messages.success(request, _("Đã lưu dân số %(ward)s.") % {"ward": ward.name})
        else:
            messages.error(request, _("Dân số %(ward)s không hợp lệ.") % {"ward": ward.name})
        return redirect("areas:population")
    context = _table_context(request, area)
    group = next(g for g in context["groups"] if g.district.pk == ward.parent_id)  # type: ignore[attr-defined]
    ward = next(w for w in group.wards if w.pk == ward.pk)
    context.update({"ward": ward, "group": group, "form": form, "saved": form.is_valid()})
    return render(request, "areas/_population_row.html", context)


@require_POST
@perm_required(Perm.POPULATION_EDIT)
def population_upload(request: HttpRequest) -> HttpResponse:
    area = _user_area(request)
    form = PopulationImportForm(request.POST, request.FILES)
    result = None
    if form.is_valid():
        result = population_import(actor=request.user, scope=area, rows=form.rows)
        result.errors = form.row_errors + result.errors
        messages.success(request, _("Đã cập nhật dân số %(n)d phường/xã.") % {"n": result.updated})
        if result.errors:
            messages.warning(request, _("%(n)d dòng có lỗi, xem danh sách bên dưới.") % {"n": len(result.errors)})
    context = _table_context(request, area)
    context.update({"import_form": form, "import_result": result})
    return render(request, "areas/population.html", context, status=200 if form.is_valid() else 422)


@require_GET
def population_export(request: HttpRequest) -> HttpResponse:
    """The table as xlsx, in the columns the upload reads back. Population is not personal data: no audit."""
    area = _user_area(request)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(_("Dân số"))
    bold = workbook.add_format({"bold": True})
    headers = [_("Mã quận/huyện"), _("Quận/huyện"), _("Mã phường/xã"), _("Phường/xã"), _("Dân số")]
    sheet.write_row(0, 0, headers, bold)
    row = 1
    for group in _groups(area):
        for ward in group.wards:
            sheet.write_string(row, 0, group.district.code)
            sheet.write_string(row, 1, group.district.name)
            sheet.write_string(row, 2, ward.code)
            sheet.write_string(row, 3, ward.name)
            if ward.population is not None:
                sheet.write_number(row, 4, ward.population)
            row += 1
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 1, 28)
    sheet.set_column(2, 2, 14)
    sheet.set_column(3, 3, 28)
    sheet.set_column(4, 4, 12)
    sheet.freeze_panes(1, 0)
    workbook.close()
    filename = f"dan-so-{area.code}-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
