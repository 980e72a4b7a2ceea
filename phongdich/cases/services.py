"""Writes to the F0 registry: registering a case and handing out case codes."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.accounts.models import User
from phongdich.areas.models import Area
from phongdich.areas.scoping import area_contains
from phongdich.audit.models import Event
from phongdich.audit.services import audit_record, diff
from phongdich.cases.models import Case, CaseCodeCounter, Source, TestKind
from phongdich.cases.release import case_release_plan
from phongdich.people.models import Person
from phongdich.people.services import PersonData, person_complete, person_create
from phongdich.reports.tallies import tallies_touch
from phongdich.rules.eligibility import EligibilityDecision, EligibilityFacts, eligibility_assess
from phongdich.rules.registry import NoRuleInForce


@dataclass(frozen=True)
class Observation:
    """What the officer sees at the assessment: the numbers the home-care criteria ask for."""

    spo2: int | None = None
    resp_rate: int | None = None
    abnormal_breathing: bool = False
    symptoms: frozenset[str] = frozenset()


@dataclass(frozen=True)
class CaseIntake:
    """What registration asks beyond the person record, for the home-care and release rules."""

    vaccine_doses: int | None = None
    last_dose_on: date | None = None
    breastfeeding: bool = False
    conditions_stable: bool = False
    can_self_care: bool = True
    observation: Observation = Observation()


# Age from which a person counts as a risk group (QĐ 4038/QĐ-BYT home-care criteria: adult < 50).
RISK_AGE = 50


def case_codes_allocate(count: int) -> list[str]:
    """`count` new case codes, unique in the province, taken with one UPDATE (works on SQLite and PostgreSQL)."""
    province_code = settings.PHONGDICH_PROVINCE_CODE
    with transaction.atomic():
        CaseCodeCounter.objects.get_or_create(province_code=province_code)
        CaseCodeCounter.objects.filter(province_code=province_code).update(last=F("last") + count)
        last = CaseCodeCounter.objects.get(province_code=province_code).last
    return [f"F0-{number:07d}" for number in range(last - count + 1, last + 1)]


def age_at(*, birth_year: int | None, birth_date: date | None, on: date) -> int | None:
    if birth_date:
        return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    if birth_year:
        return on.year - birth_year
    return None


def is_high_risk(*, age: int | None, pregnant: bool, has_condition: bool) -> bool:
    return (age is not None and age >= RISK_AGE) or pregnant or has_condition


def check_case_register(
    *, actor: User, person: Person, ward: Area, confirmed_on: date, sampled_on: date | None
) -> None:
    if actor.area is None or not area_contains(actor.area, ward) or not ward.is_ward:
        raise ValidationError({"ward": _("Phường/xã quản lý phải thuộc địa bàn của bạn.")})
    today = timezone.localdate()
    if confirmed_on > today:
        raise ValidationError({"confirmed_on": _("Ngày có kết quả không được ở tương lai.")})
    if sampled_on and sampled_on > confirmed_on:
        raise ValidationError({"sampled_on": _("Ngày lấy mẫu phải trước hoặc bằng ngày có kết quả.")})
    if person.birth_year and person.birth_year > confirmed_on.year:
        raise ValidationError({"confirmed_on": _("Ngày có kết quả trước năm sinh của người này.")})
    existing = Case.objects.filter(person=person, confirmed_on=confirmed_on).first()
    if existing:
        raise ValidationError(
            _("Người này đã được ghi nhận F0 ngày %(day)s (mã %(code)s).")
            % {"day": f"{confirmed_on:%d/%m/%Y}", "code": existing.code}
        )


@transaction.atomic
def case_register(
    *,
    actor: User,
    person: Person,
    ward: Area,
    confirmed_on: date,
    test_kind: TestKind | str,
    source: Source | str = Source.COMMUNITY,
    sampled_on: date | None = None,
    intake: CaseIntake | None = None,
) -> Case:
    check_case_register(actor=actor, person=person, ward=ward, confirmed_on=confirmed_on, sampled_on=sampled_on)
    intake = intake or CaseIntake()
    age = age_at(birth_year=person.birth_year, birth_date=person.birth_date, on=confirmed_on)
    case = Case(
        person=person,
        code=case_codes_allocate(1)[0],
        ward=ward,
        confirmed_on=confirmed_on,
        sampled_on=sampled_on,
        test_kind=test_kind,
        source=source,
        age=age,
        high_risk=is_high_risk(age=age, pregnant=person.pregnant, has_condition=person.conditions.exists()),
        vaccine_doses=intake.vaccine_doses,
        last_dose_on=intake.last_dose_on,
        breastfeeding=intake.breastfeeding,
        conditions_stable=intake.conditions_stable,
        can_self_care=intake.can_self_care,
        created_by=actor,
    )
    plan = case_release_plan(case)
    case.release_due_on = plan.due_on if plan else None
    case.eligibility = case_eligibility(case=case, observation=intake.observation, on=confirmed_on).as_json()
    case.save()
    tallies_touch(case=case, created=True)
    audit_record(
        actor=actor, event=Event.CREATE, target_type="case", target_id=case.pk, area=ward,
        changes={"person": person.pk, "code": case.code, "confirmed_on": confirmed_on, "sampled_on": sampled_on,
                 "test_kind": test_kind, "source": source, "vaccine_doses": intake.vaccine_doses,
                 "eligibility": case.eligibility},
    )  # fmt: skip
    return case


def case_eligibility(*, case: Case, observation: Observation, on: date) -> EligibilityDecision:
    """Home-care eligibility of `case` by the rule set in force on `on` (the positive test, at registration)."""
    person = case.person
    age_months = None
    if person.birth_date:
        age_months = (on.year - person.birth_date.year) * 12 + on.month - person.birth_date.month
    facts = EligibilityFacts(
        age=case.age, age_months=age_months, spo2=observation.spo2, resp_rate=observation.resp_rate,
        abnormal_breathing=observation.abnormal_breathing, symptoms=observation.symptoms,
        has_condition=person.pk is not None and person.conditions.exists(), conditions_stable=case.conditions_stable,
        pregnant=person.pregnant, vaccine_doses=case.vaccine_doses, last_dose_on=case.last_dose_on,
        can_self_care=case.can_self_care,
    )  # fmt: skip
    try:
        return eligibility_assess(facts=facts, on=on)
    except NoRuleInForce:
        reason = _("Ngày dương tính trước mọi quy định quản lý F0 tại nhà (QĐ 4038/QĐ-BYT, 21/08/2021).")
        return EligibilityDecision(eligible=None, reasons=(reason,), rule_set="", rule_label="")


@transaction.atomic
def case_eligibility_assess(
    *, actor: User, case: Case, observation: Observation, expected_version: int, on: date | None = None
) -> EligibilityDecision:
    """Re-assess home-care eligibility on demand (by the rule set in force on the positive test) and keep it."""
    decision = case_eligibility(case=case, observation=observation, on=on or case.confirmed_on)
    updated = Case.objects.filter(pk=case.pk, version=expected_version).update(
        eligibility=decision.as_json(), version=F("version") + 1
    )
    if not updated:
        raise ValidationError(_("F0 này vừa được người khác cập nhật. Hãy tải lại trang để xem thay đổi."))
    audit_record(
        actor=actor, event=Event.UPDATE, target_type="case", target_id=case.pk, area=case.ward,
        changes={"eligibility": [case.eligibility, decision.as_json()]},
    )  # fmt: skip
    case.refresh_from_db()
    return decision


@transaction.atomic
def case_register_with_person(
    *,
    actor: User,
    person: Person | None,
    person_data: PersonData,
    ward: Area,
    confirmed_on: date,
    test_kind: TestKind | str,
    source: Source | str = Source.COMMUNITY,
    sampled_on: date | None = None,
    intake: CaseIntake | None = None,
) -> Case:
    """An F0 typed in by hand, in one transaction: `person` is reused (and completed with what was
    typed) when given, otherwise a new person is created from `person_data`."""
    if person is None:
        person = person_create(actor=actor, data=person_data)
    else:
        person = person_complete(actor=actor, person=person, data=person_data)
    return case_register(
        actor=actor, person=person, ward=ward, confirmed_on=confirmed_on, test_kind=test_kind, source=source,
        sampled_on=sampled_on, intake=intake,
    )  # fmt: skip


@dataclass(frozen=True)
class CaseChanges:
    """What a ward station corrects on an F0 after registration (the rest is the person's record)."""

    vaccine_doses: int | None
    last_dose_on: date | None
    breastfeeding: bool
    conditions_stable: bool
    can_self_care: bool
    severity: str


@transaction.atomic
def case_update(*, actor: User, case: Case, changes: CaseChanges, expected_version: int) -> Case:
    """Correct an F0's intake and severity. Two officers editing at once: the second is refused, not overwritten.
    The release date follows (vaccination decides the extension under CV 762)."""
    if actor.area is None or not area_contains(actor.area, case.ward):
        raise ValidationError(_("F0 này không thuộc địa bàn của bạn."))
    if changes.last_dose_on and not changes.vaccine_doses:
        raise ValidationError({"vaccine_doses": _("Có ngày tiêm mũi gần nhất thì số mũi phải từ 1 trở lên.")})
    if changes.last_dose_on and changes.last_dose_on > case.confirmed_on:
        raise ValidationError({"last_dose_on": _("Ngày tiêm mũi gần nhất phải trước ngày dương tính.")})
    values: dict[str, Any] = {field: getattr(changes, field) for field in CaseChanges.__dataclass_fields__}
    before = Case(**{f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields})
    for field, value in values.items():
        setattr(case, field, value)
    plan = case_release_plan(case)
    values["release_due_on"] = plan.due_on if plan else None
    changed = diff(before, values)
    if not changed:
        return case
    updated = Case.objects.filter(pk=case.pk, version=expected_version).update(**values, version=F("version") + 1)
    if not updated:
        raise ValidationError(_("F0 này vừa được người khác cập nhật. Hãy tải lại trang để xem thay đổi."))
    audit_record(
        actor=actor, event=Event.UPDATE, target_type="case", target_id=case.pk, area=case.ward, changes=changed
    )
    case.refresh_from_db()
    return case
