"""Keeping `WardDay` current: refresh the ward-days a write touched, or rebuild everything from the raw tables.

Services call `tallies_touch(case=…)` (or `contact=`, `alert=`, `request=`, or lists of ids) once per write: it reads
the (ward, day) pairs the object counts on *before* the change, and when the transaction commits reads them again
*after* it and recomputes the union with `ward_days_refresh` — so a change of ward, date or place, and a deletion,
clear the old ward-days as well as fill the new ones. Rows whose every column is zero are deleted, not kept: the
table holds only ward-days with something to count, and `series` reads missing days as zeros.

A refresh recomputes whole ward-days from the raw rows (never "+1"), so two writers racing cannot drift the table
for good: the later refresh, or `manage.py rebuild_tallies`, restores the truth.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from phongdich.care.models import Transfer
from phongdich.cases.models import Case
from phongdich.contacts.models import Contact
from phongdich.hotline.models import Request
from phongdich.monitoring.models import Alert
from phongdich.reports.days import report_day
from phongdich.reports.models import WardDay
from phongdich.reports.series import COLUMNS
from phongdich.reports.tally_sources import FAR, Acc, compute

Pair = tuple[int, date]
BATCH = 2000


def _rows(acc: Acc, pairs: Iterable[Pair]) -> list[WardDay]:
    rows = []
    for ward, day in pairs:
        counts = acc.get((ward, day))
        if counts and any(counts.values()):
            rows.append(WardDay(ward_id=ward, day=day, **{name: counts.get(name, 0) for name in COLUMNS}))
    return rows


def ward_days_refresh(pairs: Iterable[Pair]) -> int:
    """Recompute exactly these (ward, day) rows from the raw tables; returns how many rows hold data now."""
    wanted = {(ward, day) for ward, day in pairs if ward is not None and day is not None}
    if not wanted:
        return 0
    wards = sorted({ward for ward, _ in wanted})
    lo, hi = min(day for _, day in wanted), max(day for _, day in wanted)
    acc = compute(wards, lo, hi)
    rows = _rows(acc, sorted(wanted))
    keep = {(row.ward_id, row.day) for row in rows}
    with transaction.atomic():
        if rows:
            WardDay.objects.bulk_create(
                rows,
                batch_size=BATCH,
                update_conflicts=True,
                unique_fields=["ward", "day"],
                update_fields=list(COLUMNS),
            )
        existing = WardDay.objects.filter(ward_id__in=wards, day__gte=lo, day__lte=hi).values_list(
            "pk", "ward_id", "day"
        )
        empty = [pk for pk, ward, day in existing if (ward, day) in wanted and (ward, day) not in keep]
        if empty:
            WardDay.objects.filter(pk__in=empty).delete()
    return len(rows)


@transaction.atomic
def tallies_rebuild(*, start: date | None = None, end: date | None = None) -> int:
    """Recompute every ward-day from `start` to `end` (all days when not given) with set-based grouped queries over
    the raw tables, replacing what the table held for those days. Returns the number of rows written."""
    acc = compute(None, start, end)
    old = WardDay.objects.all()
    if start is not None:
        old = old.filter(day__gte=start)
    if end is not None:
        old = old.filter(day__lte=end)
    old.delete()
    rows = _rows(acc, sorted(acc))
    WardDay.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


# --- the pairs an object counts on -----------------------------------------------------------------------------


def _ids(one: Model | int | None, many: Iterable[int | Model]) -> list[int]:
    items = ([one] if one is not None else []) + list(many)
    return [item.pk if isinstance(item, Model) else item for item in items]


def case_pairs(ids: list[int]) -> set[Pair]:
    """The ward-days these cases count on: entry, positive test, release/death and each transfer (2 queries)."""
    if not ids:
        return set()
    pairs: set[Pair] = set()
    cases = {
        row["pk"]: row
        for row in Case.objects.filter(pk__in=ids).values(
            "pk", "ward_id", "created_at", "confirmed_on", "released_on", "died_on"
        )
    }
    for row in cases.values():
        ward = row["ward_id"]
        pairs.add((ward, report_day(row["created_at"])))
        pairs.update((ward, day) for day in (row["confirmed_on"], row["released_on"], row["died_on"]) if day)
    for case_id, at in Transfer.objects.filter(case_id__in=list(cases)).values_list("case_id", "at"):
        row = cases[case_id]
        pairs.add((row["ward_id"], max(timezone.localdate(at), row["confirmed_on"])))
    return pairs


def contact_pairs(ids: list[int]) -> set[Pair]:
    pairs: set[Pair] = set()
    if not ids:
        return pairs
    rows = Contact.objects.filter(pk__in=ids).values(
        "ward_id", "created_at", "contacted_on", "quarantine_until", "quarantine_ended_on", "released_on",
        "converted_case__confirmed_on",
    )  # fmt: skip
    for row in rows:
        ward = row["ward_id"]
        pairs.update({(ward, report_day(row["created_at"])), (ward, row["contacted_on"])})
        if row["quarantine_until"]:
            ends = (row["quarantine_ended_on"], row["released_on"], row["converted_case__confirmed_on"])
            out = min(min((day for day in ends if day), default=FAR), row["quarantine_until"] + timedelta(days=1))
            pairs.add((ward, max(out, row["contacted_on"])))
    return pairs


def _stamped_pairs(model: type[Model], ids: list[int], fields: tuple[str, ...]) -> set[Pair]:
    pairs: set[Pair] = set()
    if not ids:
        return pairs
    for row in model.objects.filter(pk__in=ids).values("ward_id", *fields):  # type: ignore[attr-defined]
        pairs.update((row["ward_id"], report_day(row[name])) for name in fields if row[name])
    return pairs


def _pairs_now(cases: list[int], contacts: list[int], alerts: list[int], requests: list[int]) -> set[Pair]:
    return (
        case_pairs(cases)
        | contact_pairs(contacts)
        | _stamped_pairs(Alert, alerts, ("created_at", "handled_at"))
        | _stamped_pairs(Request, requests, ("created_at", "answered_at"))
    )


def tally_pairs_for_case(case: Case, before: Iterable[Pair] | None = None) -> set[Pair]:
    """The ward-days `case` counts on now (as stored), with the pairs it counted on before (if given)."""
    return case_pairs([case.pk]) | set(before or ())


def tallies_touch(
    *,
    case: Case | int | None = None,
    cases: Iterable[Case | int] = (),
    contact: Contact | int | None = None,
    contacts: Iterable[Contact | int] = (),
    alert: Alert | int | None = None,
    request: Request | int | None = None,
    pairs: Iterable[Pair] = (),
    created: bool = False,
) -> None:
    """Refresh, after commit, every ward-day these objects count on before (now) and after (at commit).

    Call it before changing or deleting an object, or after creating one (`created=True`: nothing to read before,
    so no query now); one call per write is enough."""
    ids = (_ids(case, cases), _ids(contact, contacts), _ids(alert, ()), _ids(request, ()))
    before = set(pairs) if created else _pairs_now(*ids) | set(pairs)

    def refresh() -> None:
        ward_days_refresh(before | _pairs_now(*ids))

    # robust: the write has committed; a failed refresh (e.g. a lock) is logged, never reported as the write failing.
    # The ward-days stay stale until their next refresh or `rebuild_tallies`.
    transaction.on_commit(refresh, robust=True)
