"""Reads of the hotline, always scoped to the user's area: queues, counts, one request, a caller's history."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from phongdich.accounts.models import User
from phongdich.accounts.roles import ROLE_PERMS, Perm, Role
from phongdich.areas.models import Level
from phongdich.areas.scoping import area_covers_ward, in_area, ward_ids
from phongdich.cases.models import Case
from phongdich.cases.selectors import cases_visible_to
from phongdich.hotline.models import OPEN, Owner, Request, RequestCategory, RequestEvent, Status
from phongdich.people.models import Person
from phongdich.people.selectors import persons_visible_to


def start_of_today(now: datetime | None = None) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))


def requests_visible_to(user: User) -> QuerySet[Request]:
    if user.area is None:
        return Request.objects.none()
    if user.area.level == Level.PROVINCE and user.area.code == settings.PHONGDICH_PROVINCE_CODE:
        # request_create routes every request to a ward of this province, so the city's scope is the whole
        # table: without a list of ~600 ward ids its counts are index-only scans of the open-request index.
        return Request.objects.all()
    return Request.objects.filter(in_area(user.area))


def request_for_user(user: User, request_id: int) -> Request:
    """The request, or 404 when its ward lies outside the user's area (fetched by id, no ward list)."""
    item = (
        Request.objects.select_related("category", "ward__parent", "created_by", "assigned_to", "answered_by")
        .filter(pk=request_id)
        .first()
    )
    if item is None or user.area is None or not area_covers_ward(user.area, item.ward):
        raise Http404
    return item


def request_events(item: Request) -> QuerySet[RequestEvent]:
    return item.events.select_related("actor").order_by("at", "id")


def request_thread(item: Request) -> list[Request]:
    """The caller's first request and every repeat linked to it, oldest first (this one included)."""
    root_id = item.repeat_of_id or item.pk
    thread = Request.objects.filter(Q(pk=root_id) | Q(repeat_of_id=root_id)).select_related("category")
    return list(thread.order_by("created_at", "id"))


# --- queues ----------------------------------------------------------------------------------------

# Whose queue a category lands in: doctors answer medical advice; the ward station and its teams the rest.
_OWNERS_BY_ROLE: dict[str, tuple[str, ...]] = {
    Role.DOCTOR: (Owner.DOCTOR,),
    Role.WARD_OFFICER: (Owner.WARD, Owner.EMERGENCY, Owner.DISTRICT),
    Role.TEAM_MEMBER: (Owner.WARD, Owner.EMERGENCY, Owner.DISTRICT),
}


def owned_category_ids(user: User) -> list[int] | None:
    """The categories of the user's own queue; None for roles that see every category (hotline, district, city)."""
    owners = _OWNERS_BY_ROLE.get(user.role)
    if owners is None:
        return None
    return list(RequestCategory.objects.filter(owner__in=owners).values_list("pk", flat=True))


TAB_OPEN = "open"
TAB_OVERDUE = "overdue"
TAB_DONE = "done"
TABS = (TAB_OPEN, TAB_OVERDUE, TAB_DONE)
# The "done" tab lists requests taken in the last week (half a million over a wave: never all of them).
DONE_DAYS = 7


@dataclass(frozen=True)
class RequestFilters:
    tab: str = TAB_OPEN
    status: str = ""
    category_id: int | None = None
    channel: str = ""
    district_id: int | None = None
    ward_id: int | None = None
    mine: bool = True  # only the categories the user's role answers (no effect for hotline, district, city)


def _in_wards(user: User, filters: RequestFilters) -> QuerySet[Request]:
    if user.area is None:
        return Request.objects.none()
    if filters.ward_id is None and filters.district_id is None:
        return requests_visible_to(user)
    wards = ward_ids(user.area)
    wards = wards.filter(pk=filters.ward_id) if filters.ward_id else wards.filter(parent_id=filters.district_id)
    return Request.objects.filter(ward_id__in=list(wards.values_list("pk", flat=True)))


def request_queue(*, user: User, filters: RequestFilters, now: datetime | None = None) -> QuerySet[Request]:
    """Open requests by due time (overdue ones first, as they are due earliest), or the answered/closed ones.

    Open queues read the partial indexes `request_ward_queue` (a ward, a district's wards) and
    `request_open_due` (the city), in their order."""
    now = now or timezone.now()
    items = _in_wards(user, filters)
    if filters.tab == TAB_DONE:
        items = items.exclude(status__in=OPEN).filter(created_at__gte=now - timedelta(days=DONE_DAYS))
        if filters.status and filters.status not in OPEN:
            items = items.filter(status=filters.status)
    else:
        items = items.filter(status__in=OPEN)
        if filters.status in OPEN:
            items = items.filter(status=filters.status)
        if filters.tab == TAB_OVERDUE:
            items = items.filter(due_at__lte=now)
    if filters.category_id is not None:
        items = items.filter(category_id=filters.category_id)
    if filters.channel:
        items = items.filter(channel=filters.channel)
    owned = owned_category_ids(user) if filters.mine else None
    if owned is not None:
        items = items.filter(category_id__in=owned)
    items = items.select_related("category", "ward", "assigned_to")
    if filters.tab == TAB_DONE:
        return items.order_by("-created_at", "-id")
    return items.order_by("due_at", "id")


@dataclass(frozen=True)
class RequestCounts:
    open: int
    overdue: int
    escalated: int
    answered_today: int
    answered_in_time_today: int


def request_counts(*, user: User, now: datetime | None = None) -> RequestCounts:
    """The header of the queue pages: open, overdue and escalated now; answered (in time) since midnight."""
    now = now or timezone.now()
    mine = requests_visible_to(user)
    waiting = mine.filter(status__in=OPEN).aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(due_at__lte=now)),
        escalated=Count("pk", filter=Q(escalated_at__isnull=False)),
    )
    answered = mine.filter(answered_at__gte=start_of_today(now), answered_at__lte=now).aggregate(
        total=Count("pk"), in_time=Count("pk", filter=Q(answered_at__lte=F("due_at")))
    )
    return RequestCounts(
        open=waiting["open"], overdue=waiting["overdue"], escalated=waiting["escalated"],
        answered_today=answered["total"], answered_in_time_today=answered["in_time"],
    )  # fmt: skip


def assignable_users(item: Request) -> QuerySet[User]:
    """Who a request can be given to: active users of its ward (and its district) whose role handles requests."""
    roles = [role for role, perms in ROLE_PERMS.items() if Perm.REQUEST_HANDLE in perms]
    return (
        User.objects.filter(is_active=True, role__in=roles)
        .filter(Q(area_id=item.ward_id) | Q(area_id=item.ward.parent_id, area__level=Level.DISTRICT))
        .order_by("area__level", "last_name", "first_name", "username")
    )


# --- the caller, at intake --------------------------------------------------------------------------


@dataclass
class CallerHistory:
    requests: list[Request]
    persons: list[Person]
    cases: list[Case]


def caller_history(*, user: User, phone: str, limit: int = 10) -> CallerHistory:
    """What the operator should know when this number calls: earlier requests, and persons / F0 with the number."""
    requests = list(
        requests_visible_to(user)
        .filter(caller_phone=phone)
        .select_related("category", "ward")
        .order_by("-created_at")[:limit]
    )
    persons = list(persons_visible_to(user).filter(phone=phone).select_related("ward")[:limit])
    cases = list(
        cases_visible_to(user)
        .filter(person__phone=phone)
        .select_related("person", "ward")
        .order_by("-confirmed_on")[:limit]
    )
    return CallerHistory(requests=requests, persons=persons, cases=cases)


# --- the caller's own status check (no account) ---------------------------------------------------


def request_for_status_check(*, code: str, phone_last4: str) -> Request | None:
    """The request whose code and last four phone digits both match; None otherwise (the caller is not told which)."""
    if len(code) != 8 or len(phone_last4) != 4 or not phone_last4.isdigit():
        return None
    item = Request.objects.select_related("category").filter(code=code).first()
    if item is None or not item.caller_phone or item.caller_phone[-4:] != phone_last4:
        return None
    return item


def categories_active() -> QuerySet[RequestCategory]:
    return RequestCategory.objects.filter(active=True).order_by("ordering", "code")


STATUS_DONE = tuple(s for s in Status.values if s not in OPEN)
