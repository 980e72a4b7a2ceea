"""Reads for the report pages and API: which area a user may report on, and the user's xlsx exports."""

from __future__ import annotations

from django.http import Http404

from phongdich.accounts.models import User
from phongdich.areas.models import Area
from phongdich.areas.scoping import area_contains
from phongdich.reports.models import ReportExport


def report_area_for_user(user: User, *, code: str = "", area_id: int | None = None) -> Area:
    """The area picked by code or id, or the user's own; 404 when it lies outside the user's area."""
    if user.area is None:
        raise Http404
    if not code and area_id is None:
        return user.area
    lookup = {"code": code} if code else {"pk": area_id}
    area = Area.objects.select_related("parent__parent").filter(**lookup).first()
    if area is None or not area_contains(user.area, area):
        raise Http404
    return area


def report_exports_of(user: User, limit: int = 10) -> list[ReportExport]:
    return list(ReportExport.objects.filter(created_by=user).select_related("area").order_by("-created_at")[:limit])


def report_export_for_user(user: User, pk: int) -> ReportExport:
    """An export is seen only by the user who asked for it (it holds figures of their area)."""
    export = ReportExport.objects.select_related("area").filter(pk=pk, created_by=user).first()
    if export is None:
        raise Http404
    return export
