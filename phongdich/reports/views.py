"""The situation report page, its print view (`?in=1`) and the xlsx export (queued, polled, downloaded)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from phongdich.accounts.permissions import perm_required
from phongdich.accounts.roles import Perm
from phongdich.reports.days import current_report_day
from phongdich.reports.forms import ReportForm
from phongdich.reports.selectors import report_area_for_user, report_export_for_user, report_exports_of
from phongdich.reports.services import report_export_create
from phongdich.reports.situation import PLACES, situation_report


def _form(request: HttpRequest) -> ReportForm:
    return ReportForm(request.GET or None, area=request.user.area, today=current_report_day())


@perm_required(Perm.CASE_VIEW)
def situation(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    start, end = form.period()
    area = report_area_for_user(request.user, area_id=form.area_id())
    report = situation_report(area=area, start=start, end=end)
    places = [(key, label, getattr(report.current, key), report.current.shares[key]) for key, label in PLACES]
    context = {
        "form": form, "report": report, "places": places, "query": request.GET.urlencode(),
        "exports": report_exports_of(request.user, limit=5),
    }  # fmt: skip
    template = "reports/print.html" if request.GET.get("in") == "1" else "reports/situation.html"
    return render(request, template, context)


@require_POST
@perm_required(Perm.CASE_VIEW)
def export_create(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST, area=request.user.area, today=current_report_day())
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
        return redirect("reports:situation")
    area = report_area_for_user(request.user, area_id=form.area_id())
    start, end = form.period()
    try:
        export = report_export_create(actor=request.user, area=area, start=start, end=end, today=current_report_day())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:situation")
    return redirect("reports:export", pk=export.pk)


@perm_required(Perm.CASE_VIEW)
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    export = report_export_for_user(request.user, pk)
    template = "reports/_export.html" if request.headers.get("HX-Request") else "reports/export.html"
    return render(request, template, {"export": export})


@perm_required(Perm.CASE_VIEW)
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    export = report_export_for_user(request.user, pk)
    if not export.file:
        raise Http404
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=export.file.name.rsplit("/", 1)[-1])
