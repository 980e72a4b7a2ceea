"""The follow-up queue ("nobody forgotten"): which F0 at home need a call today and why, who follows whom,
each member's own list, and the ward's day in counts.

Everything reads the follow-up columns kept on `Case` (last_declared_at, worsened, high_risk,
vaccine_doses, release_due_on …), never the declarations themselves: a city-wide queue over
300,000 F0 must not scan 10 million declarations.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import overload
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, DateTimeField, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phongdich.accounts.models import User
from phongdich.accounts.roles import Role
from phongdich.areas.models import Area, Level
from phongdich.areas.scoping import area_contains, areas_within, ward_ids
from phongdich.audit.models import AuditLog, Event
from phongdich.audit.services import audit_record
from phongdich.cases.models import AlertLevel, Case, LocalMidnight, Place, Status
from phongdich.cases.services import RISK_AGE
from phongdich.monitoring.selectors import AlertFilters, alert_queue, day_of_illness


class Reason(models.TextChoices):
    SILENT = "silent", gettext_lazy("Không khai báo")
    WORSENED = "worsened", gettext_lazy("Diễn biến xấu đi")
    RISK = "risk", gettext_lazy("Nhóm nguy cơ")
    RELEASE_DUE = "release_due", gettext_lazy("Đến hạn hoàn thành cách ly")


class RiskGroup(models.TextChoices):
    AGE = "age", gettext_lazy("Từ 50 tuổi")
    CONDITION = "condition", gettext_lazy("Có bệnh nền")
    PREGNANT = "pregnant", gettext_lazy("Mang thai")
    UNVACCINATED = "unvaccinated", gettext_lazy("Chưa tiêm vắc xin")


# Not a reason to be in the queue: the list of every F0 at home, most urgent first (the daily view links to it).
ALL_AT_HOME = "home"
# Who may follow an F0: the ward station, its community team members and the volunteer doctors.
ASSIGNEE_ROLES = (Role.WARD_OFFICER, Role.TEAM_MEMBER, Role.DOCTOR)
# `assignee_id=UNASSIGNED` asks for the F0 nobody follows yet.
UNASSIGNED = 0


@dataclass(frozen=True)
class FollowupRow:
    case: Case
    reasons: tuple[Reason, ...]
    risk_groups: tuple[RiskGroup, ...]
    # Hours since the last declaration, or since the day of confirmation when the F0 never declared.
    silent_hours: int
    day_of_illness: int

    @property
    def never_declared(self) -> bool:
        return self.case.last_declared_at is None


# --- the filters, shared by the queue, its counts and the daily view -------------------------------------


def silence_hours() -> int:
    return int(settings.PHONGDICH_FOLLOWUP_SILENCE_HOURS)


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _silence_since() -> Coalesce:
    """When the F0 last declared, or the start of the day of confirmation if never."""
    return Coalesce("last_declared_at", LocalMidnight("confirmed_on"), output_field=DateTimeField())


def _reason_filter(reason: str, *, now: datetime) -> Q:
    today = timezone.localdate(now)
    if reason == Reason.SILENT:
        cutoff = now - timedelta(hours=silence_hours())
        # Never declared: silent since local midnight of the day of confirmation, i.e. once that day is old enough.
        return Q(last_declared_at__lte=cutoff) | Q(
            last_declared_at__isnull=True, confirmed_on__lte=timezone.localdate(cutoff)
        )
    if reason == Reason.WORSENED:
        return Q(worsened=True)
    if reason == Reason.RISK:
        return Q(high_risk=True) | Q(vaccine_doses=0)
    if reason == Reason.RELEASE_DUE:
        return Q(release_due_on__lte=today)
    raise ValueError(reason)


def _in_queue(*, now: datetime) -> Q:
    q = Q()
    for reason in Reason:
        q |= _reason_filter(reason, now=now)
    return q


def _at_home() -> Q:
    return Q(status=Status.ACTIVE, place=Place.HOME, released_on__isnull=True)


def _scoped_cases(user: User, *, ward_id: int | None = None, district_id: int | None = None) -> QuerySet[Case]:
    """The user's cases, optionally narrowed to one district or ward of their area, with the ward ids spelled out
    (see areas.scoping.in_area: a subquery makes PostgreSQL sort the whole city)."""
    if user.area is None:
        return Case.objects.none()
    if user.area.level == Level.WARD:
        if ward_id and ward_id != user.area_id:
            return Case.objects.none()
        return Case.objects.filter(ward_id=user.area_id)
    wards = ward_ids(user.area)
    if ward_id:
        wards = wards.filter(pk=ward_id)
    elif district_id:
        wards = wards.filter(parent_id=district_id)
    return Case.objects.filter(ward_id__in=list(wards.values_list("pk", flat=True)))


def _urgency_order(*, now: datetime) -> list:
    """Worsened and the latest alert level first, then the longest silence, then risk groups, then release due.

    The first three keys are those of the index `case_followup_order`, so PostgreSQL reads the queue in
    order and stops after one page; the last two only break ties."""
    risk = _reason_filter(Reason.RISK, now=now)
    due = _reason_filter(Reason.RELEASE_DUE, now=now)
    return [
        F("worsened").desc(),
        F("last_alert_level").desc(),
        _silence_since().asc(),
        models.Case(When(risk, then=Value(1)), default=Value(0), output_field=models.IntegerField()).desc(),
        models.Case(When(due, then=F("release_due_on")), default=None, output_field=models.DateField()).asc(
            nulls_last=True
        ),
        F("id").asc(),
    ]


# --- rows -------------------------------------------------------------------------------------------------


def followup_row(case: Case, *, now: datetime) -> FollowupRow:
    """Why `case` is followed up, from its columns (the same tests as the queue's SQL filters)."""
    today = timezone.localdate(now)
    since = case.last_declared_at or _local_midnight(case.confirmed_on)
    silent_for = now - since
    groups: list[RiskGroup] = []
    if case.age is not None and case.age >= RISK_AGE:
        groups.append(RiskGroup.AGE)
    if case.person.pregnant:
        groups.append(RiskGroup.PREGNANT)
    if case.person.conditions.all():
        groups.append(RiskGroup.CONDITION)
    if case.vaccine_doses == 0:
        groups.append(RiskGroup.UNVACCINATED)
    reasons: list[Reason] = []
    if case.worsened:
        reasons.append(Reason.WORSENED)
    if silent_for >= timedelta(hours=silence_hours()):
        reasons.append(Reason.SILENT)
    if case.high_risk or case.vaccine_doses == 0:
        reasons.append(Reason.RISK)
    if case.release_due_on is not None and case.release_due_on <= today:
        reasons.append(Reason.RELEASE_DUE)
    return FollowupRow(
        case=case,
        reasons=tuple(reasons),
        risk_groups=tuple(groups),
        silent_hours=max(0, int(silent_for.total_seconds() // 3600)),
        day_of_illness=day_of_illness(confirmed_on=case.confirmed_on, today=today),
    )


class FollowupQueue:
    """A lazily evaluated, paginable list of `FollowupRow`: slicing fetches one page in three queries
    (the page's case ids in order; those cases with person, ward and assignee; the persons' conditions)."""

    ordered = True  # for Paginator: the cases are ordered by urgency

    def __init__(self, cases: QuerySet[Case], *, now: datetime) -> None:
        self.cases = cases
        self.now = now
        # Set by a caller that already counted the same rows (followup_counts), to spare a second count.
        self.known_count: int | None = None

    def count(self) -> int:
        if self.known_count is None:
            self.known_count = self.cases.count()
        return self.known_count

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int) -> FollowupRow: ...
    @overload
    def __getitem__(self, index: slice) -> list[FollowupRow]: ...
    def __getitem__(self, index: int | slice) -> FollowupRow | list[FollowupRow]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        # The page's ids first, from Case alone: joining persons and wards before the top-N sort would join
        # every F0 of the city (1 s instead of 0.1 s on 300,000). Then the page's rows with what they show.
        ids = list(self.cases[index].values_list("pk", flat=True))
        if not ids:
            return []
        related = Case.objects.filter(pk__in=ids).select_related("person", "ward__parent", "assigned_to")
        by_id = {case.pk: case for case in related.prefetch_related("person__conditions")}
        return [followup_row(by_id[pk], now=self.now) for pk in ids]

    def __iter__(self) -> Iterator[FollowupRow]:
        return iter(self[:])


# --- selectors ----------------------------------------------------------------------------------------------


def followup_queue(
    *,
    user: User,
    now: datetime | None = None,
    reason: str | None = None,
    ward_id: int | None = None,
    district_id: int | None = None,
    assignee_id: int | None = None,
) -> FollowupQueue:
    """F0 at home in the user's area who are silent, worsened, in a risk group or due for release, most urgent
    first. `reason` keeps one of those (or `ALL_AT_HOME`: every F0 at home); `assignee_id=UNASSIGNED` keeps
    those nobody follows."""
    now = now or timezone.now()
    cases = _scoped_cases(user, ward_id=ward_id, district_id=district_id).filter(_at_home())
    if reason == ALL_AT_HOME:
        pass
    elif reason:
        cases = cases.filter(_reason_filter(reason, now=now))
    else:
        cases = cases.filter(_in_queue(now=now))
    if assignee_id == UNASSIGNED:
        cases = cases.filter(assigned_to__isnull=True)
    elif assignee_id is not None:
        cases = cases.filter(assigned_to_id=assignee_id)
    return FollowupQueue(cases.order_by(*_urgency_order(now=now)), now=now)


def followup_counts(
    *,
    user: User,
    now: datetime | None = None,
    ward_id: int | None = None,
    district_id: int | None = None,
    assignee_id: int | None = None,
) -> dict[str, int]:
    """How many F0 the queue holds ("total") and how many for each reason, in one query."""
    now = now or timezone.now()
    queue = followup_queue(user=user, now=now, ward_id=ward_id, district_id=district_id, assignee_id=assignee_id)
    queue = queue.cases.order_by()
    counts = {reason.value: Count("id", filter=_reason_filter(reason, now=now)) for reason in Reason}
    return queue.aggregate(total=Count("id"), **counts)


def my_cases_today(*, user: User, now: datetime | None = None) -> FollowupQueue:
    """Every F0 at home the user follows, most urgent first (those with no reason to call come last)."""
    now = now or timezone.now()
    cases = _scoped_cases(user).filter(_at_home(), assigned_to=user)
    return FollowupQueue(cases.order_by(*_urgency_order(now=now)), now=now)


def _covering_area_ids(ward: Area) -> list[int]:
    """The ward, its district and its province: the areas whose users may follow an F0 of this ward."""
    ids = [ward.pk]
    if ward.parent_id:
        ids.append(ward.parent_id)
        grandparent = ward.parent.parent_id if ward.parent else None
        if grandparent:
            ids.append(grandparent)
    return ids


def _assignees() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role__in=ASSIGNEE_ROLES)


def assignees_by_ward(*, wards: Iterable[Area]) -> dict[int, list[User]]:
    """For each ward (with its parent loaded), the accounts one of its F0 may be assigned to, in one query."""
    wards = {ward.pk: ward for ward in wards}
    covering = {pk: _covering_area_ids(ward) for pk, ward in wards.items()}
    area_ids = {area_id for ids in covering.values() for area_id in ids}
    users = list(_assignees().filter(area_id__in=area_ids).order_by("role", "last_name", "first_name", "username"))
    return {pk: [u for u in users if u.area_id in ids] for pk, ids in covering.items()}


def assignee_filter_choices(*, user: User) -> QuerySet[User]:
    """The accounts F0 in the user's area may be assigned to: inside the area, or above it (city doctors)."""
    if user.area is None:
        return User.objects.none()
    above = [user.area.parent_id, user.area.parent.parent_id if user.area.parent else None]
    area_q = Q(area__in=areas_within(user.area)) | Q(area_id__in=[pk for pk in above if pk])
    return _assignees().filter(area_q).order_by("role", "last_name", "first_name", "username")


@dataclass(frozen=True)
class DailyItem:
    key: str
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class WardDaily:
    today: date
    items: tuple[DailyItem, ...]
    alerts: tuple[DailyItem, ...]

    def count(self, key: str) -> int:
        return next(item.count for item in (*self.items, *self.alerts) if item.key == key)


def _url(name: str, **query: object) -> str:
    params = {k: v for k, v in query.items() if v not in (None, "")}
    return reverse(name) + (f"?{urlencode(params)}" if params else "")


def _open_alert_counts(user: User, *, ward_id: int | None, district_id: int | None, now: datetime) -> dict[int, int]:
    """Unhandled alerts by level, counted over exactly the alert queue the daily view links to."""
    alerts = alert_queue(user=user, filters=AlertFilters(ward_id=ward_id, district_id=district_id), now=now)
    return dict(alerts.order_by().values_list("level").annotate(n=Count("id")))


def ward_daily(
    *,
    user: User,
    today: date | None = None,
    now: datetime | None = None,
    ward_id: int | None = None,
    district_id: int | None = None,
) -> WardDaily:
    """The ward's day in counts (for a district or city user: their whole area, or one ward of it), each
    with the link to the list it counts."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    cases = _scoped_cases(user, ward_id=ward_id, district_id=district_id)
    at_home = _at_home()
    # Only the rows some count needs, so that PostgreSQL reads the follow-up index and `case_day`, not every case.
    counts = cases.filter(at_home | Q(confirmed_on=today)).aggregate(
        home=Count("id", filter=at_home),
        new=Count("id", filter=Q(confirmed_on=today)),
        silent=Count("id", filter=at_home & _reason_filter(Reason.SILENT, now=now)),
        release_due=Count("id", filter=at_home & Q(release_due_on__lte=today)),
    )
    day = today.strftime("%d/%m/%Y")
    followup = "monitoring:followup"
    items = (
        DailyItem("home", _("F0 đang điều trị tại nhà"), counts["home"], _url(followup, reason=ALL_AT_HOME, ward=ward_id, district=district_id)),
        DailyItem("new", _("F0 mới hôm nay"), counts["new"], _url("cases:list", confirmed_from=day, confirmed_to=day, ward=ward_id, district=district_id)),
        DailyItem("silent", _("Bị bỏ quên (không khai báo %(hours)s giờ)") % {"hours": silence_hours()},
                  counts["silent"], _url(followup, reason=Reason.SILENT, ward=ward_id, district=district_id)),
        DailyItem("release_due", _("Đến hạn hoàn thành cách ly"), counts["release_due"],
                  _url(followup, reason=Reason.RELEASE_DUE, ward=ward_id, district=district_id)),
    )  # fmt: skip
    by_level = _open_alert_counts(user, ward_id=ward_id, district_id=district_id, now=now)
    alerts = tuple(
        DailyItem(f"alert_{level.value}", str(level.label), by_level.get(level.value, 0),
                  _url("monitoring:alerts", level=level.value, ward=ward_id, district=district_id))
        for level in (AlertLevel.EMERGENCY, AlertLevel.URGENT)
    )  # fmt: skip
    return WardDaily(today=today, items=items, alerts=alerts)


# --- assignment -------------------------------------------------------------------------------------------


def _stale_message(case: Case) -> str:
    last = AuditLog.objects.filter(target_type="case", target_id=case.pk).select_related("actor").first()
    if last is None or last.actor is None:
        return _("F0 %(code)s vừa được người khác thay đổi. Hãy tải lại trang rồi phân công lại.") % {"code": case.code}
    return _("F0 %(code)s vừa được %(who)s thay đổi lúc %(time)s. Hãy tải lại trang rồi phân công lại.") % {
        "code": case.code,
        "who": last.actor.get_full_name() or last.actor.get_username(),
        "time": timezone.localtime(last.event_time).strftime("%H:%M %d/%m/%Y"),
    }


def check_case_assign(*, actor: User, case: Case, assignee: User | None) -> None:
    if actor.area is None or not area_contains(actor.area, case.ward):
        raise ValidationError({"assigned_to": _("F0 này không thuộc địa bàn của bạn.")})
    if case.status != Status.ACTIVE or case.released_on is not None:
        raise ValidationError({"assigned_to": _("Chỉ phân công theo dõi F0 đang theo dõi.")})
    if assignee is None:
        return
    if not assignee.is_active or assignee.role not in ASSIGNEE_ROLES:
        raise ValidationError(
            {"assigned_to": _("Người phụ trách phải là cán bộ trạm y tế, thành viên tổ cộng đồng hoặc thầy thuốc.")}
        )
    if assignee.area is None or not area_contains(assignee.area, case.ward):
        raise ValidationError({"assigned_to": _("Người phụ trách phải thuộc địa bàn của phường/xã quản lý F0 này.")})


@transaction.atomic
def case_assign(*, actor: User, case: Case, assignee: User | None, expected_version: int) -> Case:
    """Give `case` to `assignee` to follow (None: nobody). Refused when someone changed the case since
    `expected_version` was read."""
    check_case_assign(actor=actor, case=case, assignee=assignee)
    old = case.assigned_to_id
    updated = Case.objects.filter(pk=case.pk, version=expected_version).update(
        assigned_to=assignee, version=F("version") + 1
    )
    if not updated:
        raise ValidationError({"assigned_to": _stale_message(case)})
    audit_record(
        actor=actor, event=Event.UPDATE, target_type="case", target_id=case.pk, area=case.ward,
        changes={"assigned_to": [old, assignee.pk if assignee else None]},
    )  # fmt: skip
    case.assigned_to = assignee
    case.version = expected_version + 1
    return case
