"""The teams' workload for one week (Mon–Sun): what each person carries and did, summed per team, ward and district.

Five metrics, each read by ONE grouped query over the viewer's area (GROUP BY person and ward), never one
query per member:
- F0 assigned: active cases with `assigned_to` — today's load (assignments have no history, so a past week
  shows today's numbers too);
- F1 assigned: contacts in quarantine or self-monitoring with `assigned_to` — today's load as well;
- declarations entered on someone's behalf (`entered_by`) with `declared_at` in the week;
- alerts handled (`handled_by`, `handled_at` in the week), with the median and mean minutes from the alert to
  its first action (acknowledged or handled, whichever came first);
- requests answered (`answered_by`, `answered_at` in the week) and how many by their `due_at`.
A person's numbers count only rows in the viewer's area; a ward's numbers count everybody's work in it
(a district officer's too), so a ward total can exceed the sum of the ward's people.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from statistics import mean, median

from django.db.models import Count, F, Q
from django.utils import timezone

from phongdich.areas.models import Area
from phongdich.areas.scoping import ward_ids
from phongdich.cases.models import Case, Status
from phongdich.contacts.models import OPEN_STATUSES, Contact
from phongdich.hotline.models import Request
from phongdich.monitoring.models import Alert, Declaration


@dataclass(frozen=True)
class Week:
    monday: date

    @classmethod
    def containing(cls, day: date) -> "Week":
        return cls(day - timedelta(days=day.weekday()))

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.monday, time.min))

    @property
    def end(self) -> datetime:
        """Exclusive: midnight at the start of the next Monday."""
        return timezone.make_aware(datetime.combine(self.monday + timedelta(days=7), time.min))


@dataclass
class Load:
    f0: int = 0
    f1: int = 0
    declarations: int = 0
    alerts: int = 0
    requests: int = 0
    requests_in_time: int = 0
    alert_minutes: list[float] = field(default_factory=list)

    def add(self, other: "Load") -> None:
        self.f0 += other.f0
        self.f1 += other.f1
        self.declarations += other.declarations
        self.alerts += other.alerts
        self.requests += other.requests
        self.requests_in_time += other.requests_in_time
        self.alert_minutes.extend(other.alert_minutes)

    @property
    def median_minutes(self) -> float | None:
        return round(median(self.alert_minutes), 1) if self.alert_minutes else None

    @property
    def mean_minutes(self) -> float | None:
        return round(mean(self.alert_minutes), 1) if self.alert_minutes else None

    @property
    def empty(self) -> bool:
        return not (self.f0 or self.f1 or self.declarations or self.alerts or self.requests)


@dataclass
class Loads:
    """The week's numbers of everyone who worked in the area, by person and by ward."""

    by_user: dict[int, Load]
    by_ward: dict[int, Load]

    def user(self, user_id: int | None) -> Load:
        return self.by_user.get(user_id, Load()) if user_id else Load()

    def ward(self, ward_id: int) -> Load:
        return self.by_ward.get(ward_id, Load())


def workload(*, area: Area, week: Week) -> Loads:
    """Six queries (the wards, then one per metric), whatever the number of people or wards."""
    by_user: dict[int, Load] = defaultdict(Load)
    by_ward: dict[int, Load] = defaultdict(Load)

    def count(rows, user_field: str, ward_field: str, metric: str) -> None:  # type: ignore[no-untyped-def]
        for row in rows.order_by().values(user_field, ward_field).annotate(n=Count("id")):
            setattr(by_user[row[user_field]], metric, getattr(by_user[row[user_field]], metric) + row["n"])
            setattr(by_ward[row[ward_field]], metric, getattr(by_ward[row[ward_field]], metric) + row["n"])

    # The area's wards once, as a literal list (see areas.scoping.in_area), for all five queries.
    wards = [area.pk] if area.is_ward else list(ward_ids(area).values_list("pk", flat=True))
    cases = Case.objects.filter(ward_id__in=wards, status=Status.ACTIVE, assigned_to__isnull=False)
    count(cases, "assigned_to", "ward", "f0")
    contacts = Contact.objects.filter(ward_id__in=wards, status__in=OPEN_STATUSES, assigned_to__isnull=False)
    count(contacts, "assigned_to", "ward", "f1")
    declarations = Declaration.objects.filter(
        case__ward_id__in=wards, entered_by__isnull=False, declared_at__gte=week.start,
        declared_at__lt=week.end,
    )  # fmt: skip
    count(declarations, "entered_by", "case__ward", "declarations")

    # Alerts: the durations are needed for the median, so one row per handled alert (a week's worth).
    alerts = Alert.objects.filter(
        ward_id__in=wards, handled_by__isnull=False, handled_at__gte=week.start, handled_at__lt=week.end
    ).values_list("handled_by", "ward", "created_at", "acknowledged_at", "handled_at")
    for user_id, ward_id, created_at, acknowledged_at, handled_at in alerts:
        first = min(t for t in (acknowledged_at, handled_at) if t is not None)
        minutes = max((first - created_at).total_seconds(), 0) / 60
        for load in (by_user[user_id], by_ward[ward_id]):
            load.alerts += 1
            load.alert_minutes.append(minutes)

    requests = (
        Request.objects.filter(
            ward_id__in=wards, answered_by__isnull=False, answered_at__gte=week.start, answered_at__lt=week.end
        )
        .order_by()
        .values("answered_by", "ward")
        .annotate(n=Count("id"), in_time=Count("id", filter=Q(answered_at__lte=F("due_at"))))
    )
    for row in requests:
        for load in (by_user[row["answered_by"]], by_ward[row["ward"]]):
            load.requests += row["n"]
            load.requests_in_time += row["in_time"]
    return Loads(dict(by_user), dict(by_ward))
