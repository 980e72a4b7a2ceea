"""The situation report as JSON: `GET /api/v1/reports/situation?area=<code>&start=&end=` (scoped, 404 outside)."""

from datetime import date, timedelta
from typing import Any

from django.http import HttpRequest
from ninja import Router

from phongdich.accounts.api_auth import require_perm
from phongdich.accounts.roles import Perm
from phongdich.reports.days import current_report_day
from phongdich.reports.selectors import report_area_for_user
from phongdich.reports.services import check_report_period
from phongdich.reports.situation import situation_report

router = Router(tags=["reports"])


@router.get("/situation")
def situation_api(
    request: HttpRequest, area: str = "", start: date | None = None, end: date | None = None
) -> dict[str, Any]:
    """The report of the area (a GSO code; the caller's own area when empty) from `start` to `end` (default: the
    last 7 report days), with the previous period of equal length and the differences."""
    user = require_perm(request, Perm.CASE_VIEW)
    today = current_report_day()
    end = end or today
    start = start or end - timedelta(days=6)
    check_report_period(start=start, end=end, today=today)
    place = report_area_for_user(user, code=area.strip())
    return situation_report(area=place, start=start, end=end).as_dict()
