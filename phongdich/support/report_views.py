"""The deadline report page ("was everyone paid before Tết?") and its xlsx export."""

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from phongdich.support.amounts import default_deadline, tet_days
from phongdich.support.forms import DeadlineForm
from phongdich.support.reports import deadline_report, deadline_report_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(request: HttpRequest):  # type: ignore[no-untyped-def]
    user = request.user
    form = DeadlineForm(request.GET or None, area=user.area)
    values = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    deadline: date = values.get("deadline") or default_deadline(today)
    target = values.get("target") or 100
    report = deadline_report(user=user, deadline=deadline, district_id=values.get("district"), target=target)
    return form, report


@require_GET
def deadline_view(request: HttpRequest) -> HttpResponse:
    form, report = _report(request)
    choices = [(day, name) for day, name in tet_days()]
    context = {"form": form, "report": report, "tet_days": choices, "query": request.GET.urlencode()}
    return render(request, "support/deadline.html", context, status=200 if not form.errors else 422)


@require_GET
def deadline_export(request: HttpRequest) -> HttpResponse:
    """Totals per district and ward only (no names): not personal data, so not audited."""
    _form, report = _report(request)
    response = HttpResponse(deadline_report_xlsx(report), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="chi-tra-den-han-{report.deadline:%Y%m%d}.xlsx"'
    return response
