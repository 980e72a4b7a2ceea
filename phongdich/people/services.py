"""Writes to the person registry: create, update, merge. Each leaves an audit record."""

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from phongdich.accounts.models import User
from phongdich.areas.models import Area
from phongdich.areas.scoping import area_contains
from phongdich.audit.models import Event
from phongdich.audit.services import audit_record, diff
from phongdich.cases.models import Case
from phongdich.people.models import Condition, Person
from phongdich.reports.tallies import tallies_touch
from phongdich.vaccination.models import Dose, PersonVaccination
from phongdich.vntext import fold, nfc


@dataclass
class PersonData:
    """The identity fields of a person, already parsed and validated (see people.identity)."""

    full_name: str
    birth_year: int | None = None
    birth_date: date | None = None
    sex: str = ""
    national_id: str | None = None
    phone: str = ""
    address: str = ""
    ward: Area | None = None
    pregnant: bool = False
    conditions: list[Condition] = field(default_factory=list)

    def model_fields(self) -> dict[str, Any]:
        values = {k: v for k, v in asdict(self).items() if k not in ("conditions", "ward")}
        values["ward"] = self.ward
        values["full_name"] = nfc(self.full_name)
        values["name_search"] = fold(self.full_name)
        values["national_id"] = self.national_id or None
        if self.birth_date:
            values["birth_year"] = self.birth_date.year
        return values


def check_person_data(*, actor: User, data: PersonData) -> None:
    if not nfc(data.full_name):
        raise ValidationError({"full_name": _("Họ và tên không được để trống.")})
    if data.ward is None or actor.area is None or not area_contains(actor.area, data.ward):
        raise ValidationError({"ward": _("Phường/xã phải thuộc địa bàn của bạn.")})
    if data.national_id and Person.objects.filter(national_id=data.national_id).exists():
        raise ValidationError({"national_id": _("Đã có người mang CCCD/CMND %(id)s.") % {"id": data.national_id}})


@transaction.atomic
def person_create(*, actor: User, data: PersonData) -> Person:
    check_person_data(actor=actor, data=data)
    person = Person.objects.create(created_by=actor, **data.model_fields())
    if data.conditions:
        person.conditions.set(data.conditions)
    audit_record(
        actor=actor, event=Event.CREATE, target_type="person", target_id=person.pk, area=person.ward,
        changes={**data.model_fields(), "conditions": [c.code for c in data.conditions]},
    )  # fmt: skip
    return person


@transaction.atomic
def person_update(*, actor: User, person: Person, data: PersonData) -> Person:
    if data.national_id and Person.objects.filter(national_id=data.national_id).exclude(pk=person.pk).exists():
        raise ValidationError({"national_id": _("Đã có người khác mang CCCD/CMND %(id)s.") % {"id": data.national_id}})
    if data.ward is None or actor.area is None or not area_contains(actor.area, data.ward):
        raise ValidationError({"ward": _("Phường/xã phải thuộc địa bàn của bạn.")})
    new_values = data.model_fields()
    changes = diff(person, new_values)
    old_conditions = sorted(c.code for c in person.conditions.all())
    new_conditions = sorted(c.code for c in data.conditions)
    if old_conditions != new_conditions:
        changes["conditions"] = [old_conditions, new_conditions]
        person.conditions.set(data.conditions)
    if changes:
        _save_audited(actor=actor, person=person, values=new_values, changes=changes)
        _vaccination_follows(person)
    return person


def _vaccination_follows(person: Person) -> None:
    """A person's ward, birth and conditions decide their vaccination summary (coverage cell, next dose, priority)."""
    from phongdich.vaccination.services import person_vaccination_refresh

    if PersonVaccination.objects.filter(person=person).exists():
        person_vaccination_refresh(person_ids=[person.pk])


def _save_audited(*, actor: User, person: Person, values: dict[str, Any], changes: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(person, name, value)
    person.save()
    audit_record(
        actor=actor, event=Event.UPDATE, target_type="person", target_id=person.pk, area=person.ward, changes=changes
    )


_FILLABLE = ("birth_date", "birth_year", "sex", "national_id", "phone", "address", "ward")


@transaction.atomic
def person_merge(*, actor: User, source: Person, target: Person) -> Person:
    """Fold `source` into `target`: its cases move over, blank fields of the target are filled,
    and `source` stays in the database marked as merged, so history is kept."""
    if source.pk == target.pk:
        raise ValidationError(_("Không thể gộp một người với chính họ."))
    if source.national_id and target.national_id and source.national_id != target.national_id:
        raise ValidationError(_("Hai người có CCCD/CMND khác nhau, không thể gộp."))
    same_day = Case.objects.filter(person=target).values("confirmed_on")
    if Case.objects.filter(person=source, confirmed_on__in=same_day).exists():
        raise ValidationError(_("Hai người có F0 cùng ngày dương tính; hãy xử lý trùng F0 trước khi gộp."))
    dose_days = Dose.objects.filter(person=target).values("given_on")
    if Dose.objects.filter(person=source, given_on__in=dose_days).exists():
        raise ValidationError(_("Hai người có mũi tiêm cùng ngày; hãy xoá mũi trùng trước khi gộp."))
    filled: dict[str, Any] = {}
    for name in _FILLABLE:
        if not getattr(target, name) and getattr(source, name):
            filled[name] = getattr(source, name)
    moved_cases = list(Case.objects.filter(person=source).values_list("pk", flat=True))
    tallies_touch(cases=moved_cases)
    Case.objects.filter(person=source).update(person=target)
    moved_doses = Dose.objects.filter(person=source).update(person=target)
    if "national_id" in filled:
        Person.objects.filter(pk=source.pk).update(national_id=None)
    for name, value in filled.items():
        setattr(target, name, value)
    target.pregnant = target.pregnant or source.pregnant
    target.save()
    target.conditions.add(*source.conditions.all())
    source.merged_into = target
    source.save(update_fields=["merged_into", "updated_at"])
    # The vaccination summaries follow: the target's is recomputed, the merged-away person's removed.
    from phongdich.vaccination.services import (
        person_vaccination_refresh,
    )

    person_vaccination_refresh(person_ids=[target.pk, source.pk])
    audit_record(
        actor=actor, event=Event.MERGE, target_type="person", target_id=target.pk, area=target.ward,
        changes={k: [None, v] for k, v in filled.items()},
        extra={"merged_from": source.pk, "moved_cases": moved_cases, "moved_doses": moved_doses},
    )  # fmt: skip
    return target


_COMPLETABLE = ("birth_year", "birth_date", "sex", "national_id", "phone", "address")


@transaction.atomic
def person_complete(*, actor: User, person: Person, data: PersonData) -> Person:
    """Add what an officer typed for an existing person without overwriting what is recorded:
    blank fields are filled, conditions added, pregnancy set. Used when a new F0 reuses a person."""
    taken = Person.objects.filter(national_id=data.national_id).exclude(pk=person.pk)
    if data.national_id and not person.national_id and taken.exists():
        raise ValidationError({"national_id": _("Đã có người khác mang CCCD/CMND %(id)s.") % {"id": data.national_id}})
    new_values = data.model_fields()
    filled = {name: new_values[name] for name in _COMPLETABLE if new_values[name] and not getattr(person, name)}
    if "birth_date" in filled and person.birth_year not in (None, filled["birth_date"].year):
        del filled["birth_date"]  # a date contradicting the recorded year is left for the officer to sort out
    if data.pregnant and not person.pregnant:
        filled["pregnant"] = True
    changes: dict[str, Any] = {name: [getattr(person, name), value] for name, value in filled.items()}
    old_conditions = {c.code for c in person.conditions.all()}
    added = [c for c in data.conditions if c.code not in old_conditions]
    if added:
        person.conditions.add(*added)
        changes["conditions"] = [sorted(old_conditions), sorted(old_conditions | {c.code for c in added})]
    if changes:
        _save_audited(actor=actor, person=person, values=filled, changes=changes)
    return person
