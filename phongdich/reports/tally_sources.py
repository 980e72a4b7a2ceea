"""The grouped queries that compute `WardDay` columns from the raw tables, shared by refresh and rebuild.

Each function takes the same scope — `wards` (a list of ward ids, or None for every ward) and a day range (`lo`,
`hi`, either may be None) — and adds its counts into `acc[(ward_id, day)][column]`. Each is one grouped query
(GROUP BY ward, day and a few small keys), so a refresh of a few ward-days and a rebuild of the whole city run
the same SQL, with or without `ward IN (…)` and day bounds.

Definitions (also in docs/rules.md, "Số liệu ngày"):
- report day of a timestamp: see `reports.days` (window ending at PHONGDICH_REPORT_DAY_ENDS_AT);
- new F0 on the report day of `created_at`; late (`new_late` only) when that report day is more than
  PHONGDICH_LATE_ENTRY_DAYS after `confirmed_on`; `positive` on `confirmed_on`;
- place codes: 0 home, 1–3 the facility's tier. Registration moves the case into its initial place on
  `confirmed_on` (the from-side of its first transfer, else its current place); each transfer between two
  different place codes moves it out of the from-side and into the to-side on the transfer's local calendar day
  (never before `confirmed_on`); release or death moves it out of its current place on `released_on`/`died_on`;
- alerts: opened on the report day of `created_at`; handled on the report day of `handled_at`, in time when
  acknowledged or handled within PHONGDICH_ALERT_ESCALATE_MINUTES of `created_at`;
- F1 (generation 1 only): new on the report day of `created_at`; in quarantine from `contacted_on` when the plan
  has a `quarantine_until`, out on the earliest of `quarantine_ended_on`, `released_on`, the positive test of
  the F0 it became, and `quarantine_until` + 1 (never before `contacted_on`);
- requests: new on the report day of `created_at`; answered on the report day of `answered_at`, in time when
  `answered_at` ≤ `due_at`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Case as CaseWhen
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest, Least, TruncDate
from django.utils import timezone

from phongdich.care.models import Transfer
from phongdich.cases.models import Case, Place, Source
from phongdich.contacts.models import Contact
from phongdich.hotline.models import Request
from phongdich.monitoring.models import Alert
from phongdich.reports.days import report_day_shift, window_end, window_start

Acc = defaultdict[tuple[int, date], defaultdict[str, int]]
PLACE_NAMES = {0: "home", 1: "tier1", 2: "tier2", 3: "tier3"}
NEW_COLUMN = {Source.COMMUNITY: "new_community", Source.QUARANTINE: "new_quarantine", Source.F1: "new_quarantine"}
FAR = date(9999, 12, 31)


def new_acc() -> Acc:
    return defaultdict(lambda: defaultdict(int))


def _report_zone() -> dt.tzinfo:
    """A fixed-offset zone in which a timestamp's calendar date is its report day (the project's zone has no
    daylight saving, so its offset today is its offset on every date)."""
    offset = timezone.localtime().utcoffset() or timedelta(0)
    return dt.timezone(offset + report_day_shift())


def _local_zone() -> dt.tzinfo:
    return dt.timezone(timezone.localtime().utcoffset() or timedelta(0))


def _scope(qs: QuerySet, wards: list[int] | None, ward_field: str = "ward_id") -> QuerySet:
    if wards is None:
        return qs
    if len(wards) == 1:
        return qs.filter(**{ward_field: wards[0]})
    return qs.filter(**{f"{ward_field}__in": wards})


def _days(field: str, lo: date | None, hi: date | None) -> Q:
    q = Q()
    if lo is not None:
        q &= Q(**{f"{field}__gte": lo})
    if hi is not None:
        q &= Q(**{f"{field}__lte": hi})
    return q


def _window(field: str, lo: date | None, hi: date | None) -> Q:
    """Timestamps whose report day lies in [lo, hi]."""
    q = Q(**{f"{field}__isnull": False})
    if lo is not None:
        q &= Q(**{f"{field}__gte": window_start(lo)})
    if hi is not None:
        q &= Q(**{f"{field}__lt": window_end(hi)})
    return q


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _place_code(tier_field: str) -> Coalesce:
    return Coalesce(tier_field, Value(0), output_field=IntegerField())


def _current_place() -> CaseWhen:
    return CaseWhen(When(place=Place.HOME, then=Value(0)), default=_place_code("facility__tier"))


def add_new_cases(acc: Acc, wards: list[int] | None, lo: date | None, hi: date | None) -> None:
    rows = (
        _scope(Case.objects.filter(_window("created_at", lo, hi)), wards)
        .annotate(rday=TruncDate("created_at", tzinfo=_report_zone()))
        .values("ward_id", "rday", "confirmed_on", "source")
        .annotate(n=Count("pk"))
        .order_by()
    )
    late_days = settings.PHONGDICH_LATE_ENTRY_DAYS
    for row in rows:
        rday, confirmed_on = _as_date(row["rday"]), _as_date(row["confirmed_on"])
        column = "new_late" if (rday - confirmed_on).days > late_days else NEW_COLUMN.get(row["source"], "new_other")
        acc[(row["ward_id"], rday)][column] += row["n"]


def add_registrations(acc: Acc, wards: list[int] | None, lo: date | None, hi: date | None) -> None:
    """`positive` and the move into the initial place, both on `confirmed_on`."""
    first_from = (
        Transfer.objects.filter(case_id=OuterRef("pk"))
        .order_by("at", "id")
        .annotate(code=_place_code("from_facility__tier"))
        .values("code")[:1]
    )
    rows = (
        _scope(Case.objects.filter(_days("confirmed_on", lo, hi)), wards)
        .annotate(initial=Coalesce(Subquery(first_from, output_field=IntegerField()), _current_place()))
        .values("ward_id", "confirmed_on", "initial")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts = acc[(row["ward_id"], _as_date(row["confirmed_on"]))]
        counts["positive"] += row["n"]
        counts[f"{PLACE_NAMES[row['initial']]}_in"] += row["n"]


def add_endings(acc: Acc, wards: list[int] | None, lo: date | None, hi: date | None) -> None:
    """Released and died, and the move out of the current place, on `released_on` / `died_on`."""
    qs = Case.objects.filter(Q(released_on__isnull=False) | Q(died_on__isnull=False))
    if lo is not None or hi is not None:
        qs = qs.filter(_days("released_on", lo, hi) | _days("died_on", lo, hi))
    rows = (
        _scope(qs, wards)
        .annotate(
            end=Coalesce("died_on", "released_on"),
            died=CaseWhen(When(died_on__isnull=False, then=Value(1)), default=Value(0)),
            at=_current_place(),
        )
        .filter(_days("end", lo, hi))
        .values("ward_id", "end", "died", "at")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts = acc[(row["ward_id"], _as_date(row["end"]))]
        counts["died" if row["died"] else "released"] += row["n"]
        counts[f"{PLACE_NAMES[row['at']]}_out"] += row["n"]


def add_transfers(acc: Acc, wards: list[int] | None, lo: date | None, hi: date | None) -> None:
    qs = Transfer.objects.all()
    if hi is not None:
        # A transfer counts on its local day or later (never before confirmed_on): none after `hi` can land in range.
        qs = qs.filter(at__lt=timezone.make_aware(dt.datetime.combine(hi + timedelta(days=1), dt.time(0, 0))))
    rows = (
        _scope(qs, wards, "case__ward_id")
        .annotate(
            ward=F("case__ward_id"),
            day=Greatest(TruncDate("at", tzinfo=_local_zone()), F("case__confirmed_on")),
            src=_place_code("from_facility__tier"),
            dst=_place_code("to_facility__tier"),
        )
        .exclude(src=F("dst"))
        .filter(_days("day", lo, hi))
        .values("ward", "day", "src", "dst")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts = acc[(row["ward"], _as_date(row["day"]))]
        counts[f"{PLACE_NAMES[row['src']]}_out"] += row["n"]
        counts[f"{PLACE_NAMES[row['dst']]}_in"] += row["n"]


def add_alerts(acc: Acc, wards: list[int] | None, lo: date | None, hi: date | None) -> None:
    zone = _report_zone()
    opened = (
        _scope(Alert.objects.filter(_window("created_at", lo, hi)), wards)
        .annotate(rday=TruncDate("created_at", tzinfo=zone))
        .values("ward_id", "rday")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in opened:
        acc[(row["ward_id"], _as_date(row["rday"]))]["alerts_opened"] += row["n"]
    limit = timedelta(minutes=settings.PHONGDICH_ALERT_ESCALATE_MINUTES)
    in_time = Q(handled_at__lte=F("created_at") + limit) | Q(acknowledged_at__lte=F("created_at") + limit)
    handled = (
        _scope(Alert.objects.filter(_window("handled_at", lo, hi)), wards)
        .annotate(rday=TruncDate("handled_at", tzinfo=zone))
        .values("ward_id", "rday")
        .annotate(n=Count("pk"), in_time=Count("pk", filter=in_time))
        .order_by()
    )
    for row in handled:
        counts = acc[(row["ward_id"], _as_date(row["rday"]))]
        counts["alerts_handled"] += row["n"]
        counts["alerts_handled_in_time"] += row["in_time"]


def add_contacts(acc: Acc, wards: list[int] | None, lo: date | None, hi: date | None) -> None:
    f1 = Contact.objects.filter(generation=1)
    new = (
        _scope(f1.filter(_window("created_at", lo, hi)), wards)
        .annotate(rday=TruncDate("created_at", tzinfo=_report_zone()))
        .values("ward_id", "rday")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in new:
        acc[(row["ward_id"], _as_date(row["rday"]))]["contacts_new"] += row["n"]
    quarantined = _scope(f1.filter(quarantine_until__isnull=False), wards)
    entering = (
        quarantined.filter(_days("contacted_on", lo, hi))
        .values("ward_id", "contacted_on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in entering:
        acc[(row["ward_id"], _as_date(row["contacted_on"]))]["quarantine_in"] += row["n"]
    # The out day is min(ended, quarantine_until + 1): the SQL finds the earliest end, Python adds the day.
    leaving = quarantined
    if hi is not None:
        leaving = leaving.filter(contacted_on__lte=hi)
    if lo is not None:
        leaving = leaving.filter(quarantine_until__gte=lo - timedelta(days=1))
    ended = Least(
        Coalesce("quarantine_ended_on", Value(FAR)), Coalesce("released_on", Value(FAR)),
        Coalesce("converted_case__confirmed_on", Value(FAR)),
    )  # fmt: skip
    rows = (
        leaving.annotate(ended=ended)
        .values("ward_id", "contacted_on", "quarantine_until", "ended")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        until = _as_date(row["quarantine_until"]) + timedelta(days=1)
        out = max(min(_as_date(row["ended"]), until), _as_date(row["contacted_on"]))
        if (lo is None or out >= lo) and (hi is None or out <= hi):
            acc[(row["ward_id"], out)]["quarantine_out"] += row["n"]


def add_requests(acc: Acc, wards: list[int] | None, lo: date | None, hi: date | None) -> None:
    zone = _report_zone()
    new = (
        _scope(Request.objects.filter(_window("created_at", lo, hi)), wards)
        .annotate(rday=TruncDate("created_at", tzinfo=zone))
        .values("ward_id", "rday")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in new:
        acc[(row["ward_id"], _as_date(row["rday"]))]["requests_new"] += row["n"]
    answered = (
        _scope(Request.objects.filter(_window("answered_at", lo, hi)), wards)
        .annotate(rday=TruncDate("answered_at", tzinfo=zone))
        .values("ward_id", "rday")
        .annotate(n=Count("pk"), in_time=Count("pk", filter=Q(answered_at__lte=F("due_at"))))
        .order_by()
    )
    for row in answered:
        counts = acc[(row["ward_id"], _as_date(row["rday"]))]
        counts["requests_answered"] += row["n"]
        counts["requests_in_time"] += row["in_time"]


SOURCES = (add_new_cases, add_registrations, add_endings, add_transfers, add_alerts, add_contacts, add_requests)


def compute(wards: list[int] | None, lo: date | None, hi: date | None) -> Acc:
    """Every column of every (ward, day) in the scope, from the raw tables (about ten grouped queries)."""
    acc = new_acc()
    for source in SOURCES:
        source(acc, wards, lo, hi)
    return acc
