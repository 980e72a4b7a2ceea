"""Writes of the reports app: asking for a situation report as xlsx (written by the worker)."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from phongdich.accounts.models import User
from phongdich.areas.models import Area
from phongdich.areas.scoping import area_contains
from phongdich.audit.models import Event
from phongdich.audit.services import audit_record
from phongdich.reports.models import ReportExport

MAX_DAYS = 366


def check_report_period(*, start: date, end: date, today: date) -> None:
    if end < start:
        raise ValidationError({"end": _("“Đến ngày” phải sau hoặc bằng “từ ngày”.")})
    if (end - start).days + 1 > MAX_DAYS:
        raise ValidationError({"start": _("Kỳ báo cáo dài tối đa %(n)s ngày.") % {"n": MAX_DAYS}})
    if end > today + timedelta(days=1):
        raise ValidationError({"end": _("“Đến ngày” không được ở tương lai.")})


@transaction.atomic
def report_export_create(*, actor: User, area: Area, start: date, end: date, today: date) -> ReportExport:
    """Queue the xlsx of the situation report of `area` (inside the actor's area) for the worker."""
    from phongdich.reports.tasks import report_export_task

    if actor.area is None or not area_contains(actor.area, area):
        raise ValidationError({"area": _("Địa bàn này không thuộc phạm vi của bạn.")})
    check_report_period(start=start, end=end, today=today)
    export = ReportExport.objects.create(created_by=actor, area=area, start=start, end=end)
    audit_record(
        actor=actor, event=Event.EXPORT, target_type="report_export", target_id=export.pk, area=area,
        extra={"start": start, "end": end},
    )  # fmt: skip
    transaction.on_commit(lambda: report_export_task.enqueue(export.pk))
    return export
