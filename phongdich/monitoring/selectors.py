"""Reads of home monitoring, always scoped to the user's area: the alert queue, its counts, the khai-hộ list."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from phongdich.accounts.models import User
from phongdich.areas.models import Area, Level
from phongdich.areas.scoping import in_area, ward_ids
from phongdich.cases.models import AlertLevel, Case, Place, Status
from phongdich.cases.selectors import cases_visible_to
from phongdich.monitoring.models import UNHANDLED, Alert, AlertStatus, Channel, Declaration, PatientLink

# Tabs of the alert queue.
QUEUE_OPEN = "open"
QUEUE_HANDLED_TODAY = "handled_today"
QUEUE_TABS = (QUEUE_OPEN, QUEUE_HANDLED_TODAY)


def day_of_illness(*, confirmed_on: date, today: date) -> int:
    """ "Ngày bệnh thứ N", the day of the positive result being day 1."""
    return (today - confirmed_on).days + 1


def start_of_today(now: datetime | None = None) -> datetime:
    today = timezone.localdate(now)
    return timezone.make_aware(datetime.combine(today, time.min))


# --- alerts -------------------------------------------------------------------------------------


def alerts_visible_to(user: User) -> QuerySet[Alert]:
    if user.area is None:
        return Alert.objects.none()
    return Alert.objects.filter(in_area(user.area))


def alert_for_user(user: User, alert_id: int) -> Alert:
    """The alert, or 404 when its ward lies outside the user's area."""
    alert = alerts_visible_to(user).select_related("case__person", "ward").filter(pk=alert_id).first()
    if alert is None:
        raise Http404
    return alert


@dataclass(frozen=True)
class AlertFilters:
    tab: str = QUEUE_OPEN
    level: int | None = None
    district_id: int | None = None
    ward_id: int | None = None
    status: str = ""  # within the open tab: "open" (not yet taken) or "acknowledged"
    escalated: bool = False


def _alerts_in_wards(user: User, filters: AlertFilters) -> QuerySet[Alert]:
    """Alerts of the user's area narrowed to one district or ward, as a literal list of ward ids."""
    if user.area is None:
        return Alert.objects.none()
    if filters.ward_id is None and filters.district_id is None:
        return alerts_visible_to(user)
    wards = ward_ids(user.area)
    wards = wards.filter(pk=filters.ward_id) if filters.ward_id else wards.filter(parent_id=filters.district_id)
    return Alert.objects.filter(ward_id__in=list(wards.values_list("pk", flat=True)))


def _filtered(user: User, filters: AlertFilters, *, now: datetime | None) -> QuerySet[Alert]:
    alerts = _alerts_in_wards(user, filters)
    if filters.tab == QUEUE_HANDLED_TODAY:
        alerts = alerts.filter(status=AlertStatus.HANDLED, handled_at__gte=start_of_today(now))
    else:
        alerts = alerts.filter(status__in=UNHANDLED)
        if filters.status in UNHANDLED:
            alerts = alerts.filter(status=filters.status)
        if filters.escalated:
            alerts = alerts.filter(escalated_at__isnull=False)
    if filters.level is not None:
        alerts = alerts.filter(level=filters.level)
    return alerts


def alert_queue(*, user: User, filters: AlertFilters, now: datetime | None = None) -> QuerySet[Alert]:
    """The queue: highest level first, then longest waiting; above the ward, escalated emergencies on top.

    A ward's queue is read in the order of the partial index `alert_queue`; the district's and the city's
    take the unhandled alerts of their wards from the same index and sort the few thousand rows."""
    alerts = _filtered(user, filters, now=now).select_related("case__person", "ward", "handled_by")
    if filters.tab == QUEUE_HANDLED_TODAY:
        return alerts.order_by("-handled_at", "-id")
    if user.area is not None and user.area.level != Level.WARD:
        return alerts.order_by(F("escalated_at").asc(nulls_last=True), "-level", "created_at", "id")
    return alerts.order_by("-level", "created_at", "id")


@dataclass
class AlertRollupRow:
    area: Area
    counts: dict[int, int] = field(default_factory=dict)
    escalated: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class AlertSummary:
    by_level: dict[int, int]
    escalated: int
    rows: list[AlertRollupRow]  # per ward for a ward or district user, per district for the city

    @property
    def total(self) -> int:
        return sum(self.by_level.values())


def alert_summary(*, user: User, filters: AlertFilters, now: datetime | None = None) -> AlertSummary:
    """Counts per level, rolled up per ward (district view) or per district (city view); two queries."""
    by_level = dict.fromkeys((AlertLevel.EMERGENCY, AlertLevel.URGENT), 0)
    if user.area is None:
        return AlertSummary(by_level=by_level, escalated=0, rows=[])
    alerts = _filtered(user, AlertFilters(tab=filters.tab, status=filters.status, escalated=filters.escalated), now=now)
    grouped = alerts.values("ward_id", "level").annotate(
        n=Count("id"), up=Count("id", filter=Q(escalated_at__isnull=False))
    )
    per_city = user.area.level == Level.PROVINCE
    wards = {
        w.pk: w
        for w in Area.objects.filter(pk__in=ward_ids(user.area)).select_related("parent").only(
            "id", "name", "code", "parent__id", "parent__name", "parent__code"
        )
    }  # fmt: skip
    rows: dict[int, AlertRollupRow] = {}
    escalated = 0
    for entry in grouped:
        ward = wards.get(entry["ward_id"])
        if ward is None:
            continue
        level, n = entry["level"], entry["n"]
        by_level[level] = by_level.get(level, 0) + n
        escalated += entry["up"]
        unit = ward.parent if per_city and ward.parent else ward
        row = rows.setdefault(unit.pk, AlertRollupRow(area=unit))
        row.counts[level] = row.counts.get(level, 0) + n
        row.escalated += entry["up"]
    ordered = sorted(rows.values(), key=lambda r: (-r.counts.get(AlertLevel.EMERGENCY, 0), -r.total, r.area.code))
    return AlertSummary(by_level=by_level, escalated=escalated, rows=ordered)


# --- declarations and links ----------------------------------------------------------------------


def cases_to_declare(*, user: User, ward_id: int | None = None, q: str = "") -> QuerySet[Case]:
    """Active home F0 of the user's area for khai hộ: never declared first, then the longest silent."""
    cases = cases_visible_to(user).filter(status=Status.ACTIVE, place=Place.HOME)
    if ward_id:
        cases = cases.filter(ward_id=ward_id)
    q = q.strip()
    if q:
        cases = cases.filter(code=q.upper()) if q.upper().startswith("F0-") else cases.filter(person__phone=q)
    return cases.select_related("person", "ward").order_by(F("last_declared_at").asc(nulls_first=True), "id")


def declarations_of_case(*, case: Case, limit: int = 20) -> QuerySet[Declaration]:
    """The latest declarations of a case the caller has already fetched through case_for_user."""
    return Declaration.objects.filter(case=case).select_related("entered_by").order_by("-declared_at")[:limit]


def patient_link_live(*, case: Case) -> PatientLink | None:
    return PatientLink.objects.filter(case=case, revoked_at__isnull=True).select_related("created_by").first()


def patient_link_last_used(*, link: PatientLink) -> datetime | None:
    """When the patient last declared through this link (read from the declarations: the hot path writes no more)."""
    sheets = Declaration.objects.filter(case_id=link.case_id, channel=Channel.LINK, declared_at__gte=link.created_at)
    return sheets.order_by("-declared_at").values_list("declared_at", flat=True).first()
