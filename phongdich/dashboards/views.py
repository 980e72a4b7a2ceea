"""Dashboard pages under /tong-quan/: the dashboard of the user's area (or a district/ward of it), the full-page
ward map, and the list of cases behind a count of the epidemic curve."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from phongdich.accounts.permissions import perm_required
from phongdich.accounts.roles import Perm
from phongdich.areas.models import Level
from phongdich.dashboards.board import dashboard
from phongdich.dashboards.forms import ReportedFilterForm, ScopeForm
from phongdich.dashboards.mapdata import SCHEMATIC_LABEL, ward_map
from phongdich.dashboards.selectors import LOW_STOCK, REPORTED_KINDS, dashboard_scope, reported_cases
from phongdich.reports.days import current_report_day, day_ends_at

PAGE_SIZE = 50


@require_GET
@perm_required(Perm.CASE_VIEW)
def dashboard_view(request: HttpRequest) -> HttpResponse:
    form = ScopeForm(request.GET, user=request.user)
    area = dashboard_scope(user=request.user, **form.area_ids())
    board = dashboard(user=request.user, area=area)
    context = {
        "form": form, "board": board, "charts": board.charts(), "schematic_label": SCHEMATIC_LABEL, "low_stock": LOW_STOCK,
    }  # fmt: skip
    return render(request, "dashboards/dashboard.html", context)


@require_GET
@perm_required(Perm.CASE_VIEW)
def map_view(request: HttpRequest) -> HttpResponse:
    form = ScopeForm(request.GET, user=request.user)
    area = dashboard_scope(user=request.user, **form.area_ids())
    if area.level == Level.WARD and request.user.area.level != Level.WARD:
        # A single ward is no map: show its district with the ward among its neighbours.
        area = area.parent
    now = timezone.now()
    wards = ward_map(area=area, end=current_report_day(now), today=timezone.localdate(now))
    context = {
        "form": form, "area": area, "map": wards, "map_data": wards.geojson(), "map_legend": wards.legend(),
        "schematic_label": SCHEMATIC_LABEL,
    }  # fmt: skip
    if request.GET.get("embed"):  # the dashboard's map, loaded after the page (htmx)
        return render(request, "dashboards/_map.html", {**context, "compact": True})
    return render(request, "dashboards/map.html", context)


@require_GET
@perm_required(Perm.CASE_VIEW)
def reported_cases_view(request: HttpRequest) -> HttpResponse:
    form = ReportedFilterForm(request.GET, user=request.user)
    area = dashboard_scope(user=request.user, **form.area_ids())
    start, end, kind = form.period(today=current_report_day())
    cases = reported_cases(area=area, start=start, end=end, kind=kind)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form, "area": area, "start": start, "end": end, "kind": kind, "kind_label": REPORTED_KINDS[kind],
        "page": page, "query": query.urlencode(), "day_ends_at": day_ends_at().strftime("%H:%M"),
        "late_days": settings.PHONGDICH_LATE_ENTRY_DAYS,
    }  # fmt: skip
    return render(request, "dashboards/reported_cases.html", context)
