"""Writes of vaccination: recording and deleting doses, each person's summary kept current, certificates."""

import json
import secrets
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Count, Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.accounts.models import User
from phongdich.audit.models import Event
from phongdich.audit.services import audit_record, diff
from phongdich.cases.models import Case
from phongdich.cases.services import RISK_AGE, age_at
from phongdich.people.models import Person
from phongdich.rules.vaccination import (
    DoseFact,
    dose_check,
    dose_kind_infer,
    product_code,
    vaccination_next,
)
from phongdich.vaccination.models import (
    CoverageDay,
    CoverageTally,
    Dose,
    PersonVaccination,
    VaccinationCertificate,
)

# Persons per round of the summary refresh: two reads and one write each, whatever the total.
REFRESH_CHUNK = 5000

# The conditions of the person registry (people/data/conditions.json) that CV 10722/BYT-DP counts as moderate or
# severe immunodeficiency: they make the additional dose part of the primary course.
IMMUNOCOMPROMISED_CONDITIONS = ("immunodeficiency", "transplant", "cancer", "hiv", "immunosuppressants")

_SUMMARY_FIELDS = (
    "ward_id",
    "birth_year",
    "doses",
    "first_dose_on",
    "last_dose_on",
    "last_product",
    "status",
    "primary_complete_on",
    "next_kind",
    "next_due_on",
    "next_products",
    "next_note",
    "rule_sets",
    "priority",
)


def _chunks(ids: Iterable[int], size: int) -> Iterator[list[int]]:
    iterator = iter(ids)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _upsert_summaries(rows: list[dict[str, Any]]) -> None:
    """INSERT … ON CONFLICT (person) DO UPDATE of the summary rows.

    `homebound` is written only for new rows: an officer's answer survives every refresh. On PostgreSQL the rows
    are COPYed into a session-local scratch table and merged by one statement (an import refreshes 100,000
    persons: a multi-row INSERT built by the ORM cost half the refresh). On SQLite, whose statements hold 999
    parameters, one statement prepared once runs for each row (executemany)."""
    if not rows:
        return
    update_fields = [name.removesuffix("_id") for name in _SUMMARY_FIELDS] + ["updated_at"]
    meta = PersonVaccination._meta
    fields = [meta.get_field(name) for name in ("person", *update_fields, "homebound")]
    qn = connection.ops.quote_name
    names = ", ".join(qn(field.column) for field in fields)
    assignments = ", ".join(f"{qn(field.column)} = EXCLUDED.{qn(field.column)}" for field in fields[1:-1])
    conflict = f"ON CONFLICT ({qn('person_id')}) DO UPDATE SET {assignments}"
    now = timezone.now()
    json_fields = {field.attname for field in fields if field.get_internal_type() == "JSONField"}
    params = []
    for row in rows:
        values = {**row, "homebound": False, "updated_at": now}
        for name in json_fields:
            values[name] = json.dumps(values[name])
        params.append([values[field.attname] for field in fields])
    # Identifiers come from the model's meta; every value is a parameter or COPY data.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            table = qn(meta.db_table)
            scratch = f"CREATE TEMP TABLE IF NOT EXISTS vaccination_refresh AS SELECT {names} FROM {table} WITH NO DATA"  # noqa: S608
            merge = f"INSERT INTO {table} ({names}) SELECT {names} FROM vaccination_refresh {conflict}"  # noqa: S608
            cursor.execute(scratch)
            cursor.execute("TRUNCATE vaccination_refresh")
            with cursor.cursor.copy(f"COPY vaccination_refresh ({names}) FROM STDIN") as copy:
                for values in params:
                    copy.write_row(values)
            cursor.execute(merge)
            return
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {qn(meta.db_table)} ({names}) VALUES ({placeholders}) {conflict}"  # noqa: S608
        for values in params:
            values[fields.index(meta.get_field("updated_at"))] = connection.ops.adapt_datetimefield_value(now)
        cursor.executemany(sql, params)


def person_vaccination_refresh(*, person_ids: Iterable[int], on: date | None = None) -> int:
    """Recompute the summary rows (status, next dose, priority) of these persons from their doses; returns how
    many rows were written. Per 5,000 persons: one query for the persons, one for their doses, one upsert.

    Merged-away persons lose their row (their doses belong to the person they were merged into)."""
    on = on or timezone.localdate()
    written = 0
    for chunk in _chunks(dict.fromkeys(person_ids), REFRESH_CHUNK):
        persons = list(
            Person.objects.filter(pk__in=chunk)
            .annotate(
                has_condition=Exists(Person.conditions.through.objects.filter(person_id=OuterRef("pk"))),
                immunocompromised=Exists(
                    Person.conditions.through.objects.filter(
                        person_id=OuterRef("pk"), condition__code__in=IMMUNOCOMPROMISED_CONDITIONS
                    )
                ),
                infected_on=Subquery(
                    Case.objects.filter(person_id=OuterRef("pk"), confirmed_on__lte=on)
                    .order_by("-confirmed_on")
                    .values("confirmed_on")[:1]
                ),
            )
            .values(
                "pk",
                "merged_into_id",
                "ward_id",
                "birth_date",
                "birth_year",
                "has_condition",
                "immunocompromised",
                "infected_on",
                "vaccination__homebound",
            )
        )
        doses: dict[int, list[DoseFact]] = defaultdict(list)
        rows = Dose.objects.filter(person_id__in=chunk).order_by("person_id", "given_on")
        for person_id, given_on, product, kind in rows.values_list("person_id", "given_on", "product", "kind"):
            doses[person_id].append(DoseFact(given_on=given_on, product=product, kind=kind))

        summaries: list[dict[str, Any]] = []
        merged: list[int] = []
        for person in persons:
            if person["merged_into_id"] is not None:
                merged.append(person["pk"])
                continue
            facts = doses.get(person["pk"], [])
            birth_year = person["birth_year"] or (person["birth_date"].year if person["birth_date"] else None)
            nxt = vaccination_next(
                birth_date=person["birth_date"],
                birth_year=birth_year,
                doses=facts,
                on=on,
                infected_on=person["infected_on"],
                immunocompromised=person["immunocompromised"],
            )
            age = age_at(birth_year=birth_year, birth_date=person["birth_date"], on=on)
            summaries.append(
                {
                    "person_id": person["pk"],
                    "ward_id": person["ward_id"],
                    "birth_year": birth_year,
                    "doses": len(facts),
                    "first_dose_on": facts[0].given_on if facts else None,
                    "last_dose_on": facts[-1].given_on if facts else None,
                    "last_product": facts[-1].product if facts else "",
                    "status": nxt.status,
                    "primary_complete_on": nxt.primary_complete_on,
                    "next_kind": nxt.kind or "",
                    "next_due_on": nxt.due_on,
                    "next_products": list(nxt.products),
                    "next_note": (nxt.note or "")[:255],
                    "rule_sets": list(nxt.rule_sets),
                    "priority": bool(
                        (age is not None and age >= RISK_AGE)
                        or person["has_condition"]
                        or person["vaccination__homebound"]
                    ),
                }
            )
        before = list(PersonVaccination.objects.filter(pk__in=chunk).values_list(*_TALLIED))
        if merged:
            PersonVaccination.objects.filter(pk__in=merged).delete()
        _upsert_summaries(summaries)
        _tallies_move(before=before, after=[tuple(row[f] for f in _TALLIED) for row in summaries])
        written += len(summaries)
    return written


# --- coverage tallies -------------------------------------------------------------------------------------

_TALLIED = ("ward_id", "birth_year", "status", "first_dose_on", "primary_complete_on")


def _tallies_move(*, before: list[tuple[Any, ...]], after: list[tuple[Any, ...]]) -> None:
    """Move CoverageTally and CoverageDay by what a refresh changed: −1 for each person's old summary, +1 for
    the new one; only the net changes are written, as increments (never a recount)."""
    status_delta: Counter[tuple[int, int, str]] = Counter()
    day_delta: Counter[tuple[int, date, str]] = Counter()
    for rows, sign in ((before, -1), (after, 1)):
        for ward_id, birth_year, status, first_on, primary_on in rows:
            if ward_id is None:
                continue
            if birth_year is not None:
                status_delta[(ward_id, birth_year, status)] += sign
            if first_on is not None:
                day_delta[(ward_id, first_on, "first")] += sign
            if primary_on is not None:
                day_delta[(ward_id, primary_on, "primary")] += sign
    _increment(CoverageTally, ("ward", "birth_year", "status"), {k: n for k, n in status_delta.items() if n})
    _increment(CoverageDay, ("ward", "day", "event"), {k: n for k, n in day_delta.items() if n})


def _increment(model: type[models.Model], key_fields: tuple[str, ...], deltas: dict[tuple[Any, ...], int]) -> None:
    if not deltas:
        return
    qn = connection.ops.quote_name
    meta = model._meta
    keys = [meta.get_field(name).column for name in key_fields]
    columns = ", ".join(qn(c) for c in [*keys, "persons"])
    placeholders = ", ".join(["%s"] * (len(keys) + 1))
    table = qn(meta.db_table)
    # Identifiers come from the model's meta; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) ON CONFLICT ({', '.join(qn(c) for c in keys)}) "  # noqa: S608
        f"DO UPDATE SET persons = {table}.persons + EXCLUDED.persons"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*key, n) for key, n in deltas.items()])


@transaction.atomic
def coverage_tallies_rebuild() -> tuple[int, int]:
    """Recount CoverageTally and CoverageDay from the summaries (after a bulk load, or to repair drift)."""
    CoverageTally.objects.all().delete()
    CoverageDay.objects.all().delete()
    rows = PersonVaccination.objects.filter(ward__isnull=False)
    CoverageTally.objects.bulk_create(
        CoverageTally(ward_id=w, birth_year=y, status=s, persons=n)
        for w, y, s, n in rows.filter(birth_year__isnull=False).values_list("ward_id", "birth_year", "status")
        .annotate(n=Count("*")).order_by()
    )  # fmt: skip
    days: Counter[tuple[int, date, str]] = Counter()
    for field, event in (("first_dose_on", "first"), ("primary_complete_on", "primary")):
        grouped = rows.filter(**{f"{field}__isnull": False}).values_list("ward_id", field).annotate(n=Count("*"))
        for ward_id, day, n in grouped.order_by():
            days[(ward_id, day, event)] += n
    CoverageDay.objects.bulk_create(CoverageDay(ward_id=w, day=d, event=e, persons=n) for (w, d, e), n in days.items())
    return CoverageTally.objects.count(), CoverageDay.objects.count()


def _facts(person: Person, *, exclude_pk: int | None = None) -> list[DoseFact]:
    doses = Dose.objects.filter(person=person).exclude(pk=exclude_pk).order_by("given_on")
    return [DoseFact(given_on=d.given_on, product=d.product, kind=d.kind) for d in doses]


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


@transaction.atomic
def dose_record(
    *,
    actor: User,
    person: Person,
    given_on: date,
    product: str,
    kind: str | None = None,
    lot: str = "",
    site: str = "",
    given_by: str = "",
) -> tuple[Dose, list[str]]:
    """Record one dose. Refused (ValidationError by field) when the rules say it cannot be; doubtful but possible
    (e.g. a second dose earlier than the interval) it is kept and the returned flags say why, also in the audit."""
    if person.ward_id is None:
        raise ValidationError({"person": _("Người này chưa có phường/xã nên chưa ghi được mũi tiêm.")})
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("Ngày tiêm không được sau hôm nay.")})
    code = product_code(product)
    if code is None:
        raise ValidationError({"product": _("Không nhận ra vắc xin “%(product)s”.") % {"product": product}})
    # Lock the person so two officers recording at once see each other's doses (kind inference, duplicates).
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if Dose.objects.filter(person=person, given_on=given_on).exists():
        raise ValidationError({"given_on": _("Đã có mũi tiêm ngày %(day)s.") % {"day": _day(given_on)}})
    previous = [fact for fact in _facts(person) if fact.given_on < given_on]
    if kind is None:
        kind = dose_kind_infer(previous=previous, product=code, on=given_on)
    fact = DoseFact(given_on=given_on, product=code, kind=kind)
    problems = dose_check(birth_date=person.birth_date, birth_year=person.birth_year, previous=previous, dose=fact)
    blocking = {field: message for field, message, is_blocking in problems if is_blocking}
    if blocking:
        raise ValidationError(blocking)
    flags = [message for _field, message, is_blocking in problems if not is_blocking]
    try:
        with transaction.atomic():
            dose = Dose.objects.create(
                person=person, given_on=given_on, product=code, kind=kind, lot=lot.strip(), site=site.strip(),
                given_by=given_by.strip(), ward_id=person.ward_id, created_by=actor,
            )  # fmt: skip
    except IntegrityError as error:
        raise ValidationError({"given_on": _("Đã có mũi tiêm ngày %(day)s.") % {"day": _day(given_on)}}) from error
    audit_record(
        actor=actor,
        event=Event.CREATE,
        target_type="dose",
        target_id=dose.pk,
        area=person.ward,
        changes={"person": person.pk, "given_on": given_on, "product": code, "kind": kind, "lot": dose.lot},
        extra={"flags": flags} if flags else None,
    )
    person_vaccination_refresh(person_ids=[person.pk])
    return dose, flags


@transaction.atomic
def dose_delete(*, actor: User, dose: Dose, reason: str) -> None:
    """Delete a dose entered by mistake; the reason is kept in the audit record."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do xoá mũi tiêm.")})
    person_id = dose.person_id
    audit_record(
        actor=actor,
        event=Event.DELETE,
        target_type="dose",
        target_id=dose.pk,
        area=dose.ward,
        changes={"person": person_id, "given_on": dose.given_on, "product": dose.product, "kind": dose.kind,
                 "lot": dose.lot},
        extra={"reason": reason},
    )  # fmt: skip
    dose.delete()
    person_vaccination_refresh(person_ids=[person_id])


@transaction.atomic
def person_homebound_set(*, actor: User, person: Person, homebound: bool) -> PersonVaccination:
    """Mark a person as unable to come to a vaccination site (a mobile team goes to them); they become priority."""
    summary = PersonVaccination.objects.select_for_update().filter(pk=person.pk).first()
    if summary is None:
        person_vaccination_refresh(person_ids=[person.pk])
        summary = PersonVaccination.objects.select_for_update().get(pk=person.pk)
    changes = diff(summary, {"homebound": homebound})
    if changes:
        PersonVaccination.objects.filter(pk=person.pk).update(homebound=homebound)
        audit_record(
            actor=actor,
            event=Event.UPDATE,
            target_type="person_vaccination",
            target_id=person.pk,
            area=person.ward,
            changes=changes,
        )
        person_vaccination_refresh(person_ids=[person.pk])
    return PersonVaccination.objects.get(pk=person.pk)


@transaction.atomic
def vaccination_certificate_issue(*, actor: User, person: Person) -> VaccinationCertificate:
    """Issue (or re-issue) a person's vaccination record: a new token, so an old printed QR code stops working."""
    if not Dose.objects.filter(person=person).exists():
        raise ValidationError({"person": _("Người này chưa có mũi tiêm nào để cấp giấy.")})
    token = secrets.token_urlsafe(32)
    certificate = VaccinationCertificate.objects.select_for_update().filter(person=person).first()
    if certificate is None:
        certificate = VaccinationCertificate.objects.create(person=person, token=token, issued_by=actor)
        event = Event.CREATE
    else:
        certificate.token = token
        certificate.issued_by = actor
        certificate.issued_at = timezone.now()
        certificate.save(update_fields=["token", "issued_by", "issued_at"])
        event = Event.UPDATE
    audit_record(
        actor=actor,
        event=event,
        target_type="vaccination_certificate",
        target_id=certificate.pk,
        area=person.ward,
        changes={"person": person.pk},
    )
    return certificate
