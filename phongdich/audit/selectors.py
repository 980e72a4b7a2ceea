"""Reads of the audit trail, scoped to the user's area: rows without an area only for city-level users."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from phongdich.accounts.models import User
from phongdich.areas.models import Level
from phongdich.areas.scoping import areas_within
from phongdich.audit.models import AuditLog


def audit_logs_visible_to(user: User) -> QuerySet[AuditLog]:
    if user.area is None:
        return AuditLog.objects.none()
    condition = Q(area__in=areas_within(user.area))
    if user.area.level == Level.PROVINCE:
        condition |= Q(area__isnull=True)
    return AuditLog.objects.filter(condition)


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""  # username
    event: int | None = None
    target_type: str = ""
    target_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_log_list(*, user: User, filters: AuditFilters) -> QuerySet[AuditLog]:
    logs = audit_logs_visible_to(user)
    if filters.actor.strip():
        logs = logs.filter(actor__username__iexact=filters.actor.strip())
    if filters.event is not None:
        logs = logs.filter(event=filters.event)
    if filters.target_type.strip():
        logs = logs.filter(target_type=filters.target_type.strip())
    if filters.target_id is not None:
        logs = logs.filter(target_id=filters.target_id)
    # Local-day bounds as a time range, so the event_time index is used.
    if filters.date_from:
        logs = logs.filter(event_time__gte=_day_start(filters.date_from))
    if filters.date_to:
        logs = logs.filter(event_time__lt=_day_start(filters.date_to + timedelta(days=1)))
    return logs.select_related("actor", "area").order_by("-event_time", "-id")
