"""Writes: recording an F1 (or F2) with its quarantine plan, and assigning it. Every write is audited.

Checks, tests, the end of quarantine and F1 → F0 are in `contacts/tracking.py`; clusters in `contacts/clusters.py`.
"""

from dataclasses import replace
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.accounts.models import User
from phongdich.accounts.roles import Role
from phongdich.areas.models import Area
from phongdich.areas.scoping import area_contains
from phongdich.audit.models import Event
from phongdich.audit.services import audit_record
from phongdich.cases.models import Case
from phongdich.cases.models import Status as CaseStatus
from phongdich.contacts.clusters import check_cluster, household_cluster
from phongdich.contacts.models import OPEN_STATUSES, Cluster, Contact, ContactKind, ContactStatus, Setting
from phongdich.people.models import Person
from phongdich.people.services import PersonData, person_complete, person_create
from phongdich.reports.tallies import tallies_touch
from phongdich.rules.quarantine import QuarantinePlan, quarantine_plan
from phongdich.rules.registry import NoRuleInForce
from phongdich.rules.release import fully_vaccinated
from phongdich.vaccination.models import Dose, PersonVaccination

# How far before the F0's positive date an exposure is still traced. Not a national rule: the transmission
# period starts a few days before symptoms or sampling; 30 days leaves room for late results and for the
# "last contact" of a household, and refuses typing errors (a wrong year or month).
TRACE_WINDOW_DAYS = 30
# Who may follow an F1: the ward station's officers and its community team members.
ASSIGNEE_ROLES = (Role.WARD_OFFICER, Role.TEAM_MEMBER)


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


# --- the plan ------------------------------------------------------------------------------------------


def vaccination_on(
    *, person: Person | None, on: date, doses: int | None, last_dose_on: date | None
) -> tuple[int | None, date | None, str]:
    """(doses, last dose date, where from) as of the contact date: the vaccination registry when the person has
    a record there (doses given up to that date), otherwise what the officer typed."""
    if person is not None and person.pk and PersonVaccination.objects.filter(person=person).exists():
        given = Dose.objects.filter(person=person, given_on__lte=on).aggregate(n=Count("id"), last=Max("given_on"))
        return given["n"], given["last"], _("theo sổ tiêm chủng")
    if doses is None and last_dose_on is None:
        return None, None, ""
    return doses, last_dose_on, _("theo lời khai")


def recovered_on_before(*, person: Person | None, on: date) -> date | None:
    """The latest release or positive date of the person's earlier infections, up to the contact date."""
    if person is None or not person.pk:
        return None
    dates = Case.objects.filter(person=person, confirmed_on__lte=on).aggregate(
        positive=Max("confirmed_on"), released=Max("released_on", filter=Q(released_on__lte=on))
    )
    known = [d for d in (dates["positive"], dates["released"]) if d]
    return max(known) if known else None


def plan_for(
    *, person: Person | None, contacted_on: date, doses: int | None, last_dose_on: date | None
) -> tuple[QuarantinePlan, int | None, date | None, bool | None, date | None]:
    """The quarantine plan of `person` for a contact on `contacted_on`, with the facts it was decided on."""
    doses, last_dose_on, origin = vaccination_on(person=person, on=contacted_on, doses=doses, last_dose_on=last_dose_on)
    vaccinated = fully_vaccinated(doses=doses, last_dose_on=last_dose_on, on=contacted_on)
    recovered_on = recovered_on_before(person=person, on=contacted_on)
    try:
        plan = quarantine_plan(contact_on=contacted_on, fully_vaccinated=vaccinated, recovered_on=recovered_on)
    except NoRuleInForce:
        raise ValidationError(
            {"contacted_on": _("Chưa có quy định cách ly F1 cho ngày tiếp xúc trước 14/07/2021 (CV 5599/BYT-MT).")}
        ) from None
    if origin:
        told = _("Tiêm chủng %(origin)s: %(doses)s mũi%(last)s.") % {
            "origin": origin,
            "doses": doses if doses is not None else "?",
            "last": _(", mũi gần nhất %(day)s") % {"day": _day(last_dose_on)} if last_dose_on else "",
        }
        plan = replace(plan, reasons=(told, *plan.reasons))
    return plan, doses, last_dose_on, vaccinated, recovered_on


def next_test_after(*, test_days: list[str], last_test_on: date | None) -> date | None:
    """The first test day of the plan after the latest test (a later test stands for the earlier days)."""
    for raw in test_days:
        day = date.fromisoformat(raw)
        if last_test_on is None or day > last_test_on:
            return day
    return None


# --- recording ---------------------------------------------------------------------------------------


def check_contact_record(
    *, actor: User, source_case: Case | None, source_contact: Contact | None, person: Person | None, ward: Area | None,
    setting: str, kind: str, contacted_on: date, doses: int | None, last_dose_on: date | None, today: date,
) -> None:  # fmt: skip
    if (source_case is None) == (source_contact is None):
        raise ValidationError(_("Cần đúng một nguồn lây: F0 hoặc F1."))
    if ward is None or actor.area is None or not ward.is_ward or not area_contains(actor.area, ward):
        raise ValidationError({"ward": _("Phường/xã theo dõi phải thuộc địa bàn của bạn.")})
    if setting not in Setting.values:
        raise ValidationError({"setting": _("Nơi tiếp xúc không hợp lệ.")})
    if kind not in ContactKind.values:
        raise ValidationError({"kind": _("Hình thức tiếp xúc không hợp lệ.")})
    if contacted_on > today:
        raise ValidationError(
            {"contacted_on": _("Ngày tiếp xúc %(day)s sau hôm nay (%(today)s).")
             % {"day": _day(contacted_on), "today": _day(today)}}
        )  # fmt: skip
    if last_dose_on and not doses:
        raise ValidationError({"doses": _("Có ngày tiêm mũi gần nhất thì số mũi phải từ 1 trở lên.")})
    if last_dose_on and last_dose_on > contacted_on:
        raise ValidationError({"last_dose_on": _("Ngày tiêm mũi gần nhất sau ngày tiếp xúc.")})
    if source_case is not None:
        _check_source_case(source_case=source_case, person=person, contacted_on=contacted_on)
    else:
        assert source_contact is not None
        _check_source_contact(source_contact=source_contact, person=person, contacted_on=contacted_on)
    if person is not None:
        active = Case.objects.filter(person=person, status=CaseStatus.ACTIVE).order_by("-confirmed_on").first()
        if active is not None:
            raise ValidationError(
                {"person": _("%(name)s đang là F0 (mã %(code)s), không cách ly F1.")
                 % {"name": person.full_name, "code": active.code}}
            )  # fmt: skip


def _check_source_case(*, source_case: Case, person: Person | None, contacted_on: date) -> None:
    if person is not None and person.pk == source_case.person_id:
        raise ValidationError({"person": _("Người tiếp xúc chính là F0 nguồn %(code)s.") % {"code": source_case.code}})
    earliest = source_case.confirmed_on - timedelta(days=TRACE_WINDOW_DAYS)
    if contacted_on < earliest:
        raise ValidationError(
            {"contacted_on": _("Ngày tiếp xúc %(day)s sớm hơn %(n)d ngày trước ngày F0 %(code)s dương tính (%(pos)s).")
             % {"day": _day(contacted_on), "n": TRACE_WINDOW_DAYS, "code": source_case.code,
                "pos": _day(source_case.confirmed_on)}}
        )  # fmt: skip
    if source_case.released_on and contacted_on > source_case.released_on:
        raise ValidationError(
            {"contacted_on": _("F0 %(code)s đã hoàn thành cách ly ngày %(day)s: tiếp xúc sau đó không là F1.")
             % {"code": source_case.code, "day": _day(source_case.released_on)}}
        )  # fmt: skip


def _check_source_contact(*, source_contact: Contact, person: Person | None, contacted_on: date) -> None:
    if source_contact.generation >= 2:
        raise ValidationError(
            {"source_contact": _("Chỉ ghi F2 (người tiếp xúc với F1), không ghi người tiếp xúc với F2.")}
        )
    if source_contact.status == ContactStatus.CONVERTED:
        raise ValidationError(
            {"source_contact": _("F1 này đã chuyển thành F0 (mã %(code)s): hãy ghi F1 của F0 đó.")
             % {"code": source_contact.converted_case.code if source_contact.converted_case else "?"}}
        )  # fmt: skip
    if person is not None and person.pk == source_contact.person_id:
        raise ValidationError({"person": _("Người tiếp xúc chính là F1 nguồn.")})
    if person is not None and source_contact.source_case and person.pk == source_contact.source_case.person_id:
        raise ValidationError({"person": _("Người này là F0 nguồn của F1 này, không phải F2.")})
    if contacted_on < source_contact.contacted_on:
        raise ValidationError(
            {"contacted_on": _("Ngày tiếp xúc với F1 (%(day)s) trước ngày F1 tiếp xúc với F0 (%(first)s).")
             % {"day": _day(contacted_on), "first": _day(source_contact.contacted_on)}}
        )  # fmt: skip


def _open_duplicate(*, person: Person, source_case: Case | None, source_contact: Contact | None) -> Contact | None:
    same = Contact.objects.select_for_update().filter(person=person, status__in=OPEN_STATUSES)
    if source_case is not None:
        return same.filter(source_case=source_case).first()
    return same.filter(source_contact=source_contact).first()


@transaction.atomic
def contact_record(
    *,
    actor: User,
    setting: str,
    kind: str,
    contacted_on: date,
    source_case: Case | None = None,
    source_contact: Contact | None = None,
    person: Person | None = None,
    person_data: PersonData | None = None,
    ward: Area | None = None,
    doses: int | None = None,
    last_dose_on: date | None = None,
    cluster: Cluster | None = None,
    now: datetime | None = None,
) -> tuple[Contact, bool]:
    """Record that `person` (an existing person, or one made from `person_data`; the same CCCD/CMND is the same
    person) was in close contact with an F0 or an F1 on `contacted_on`. Returns (contact, created): recording
    the same person for the same source again returns the open record, moved to the later date when the new
    contact is later (quarantine counts from the last exposure)."""
    today = timezone.localdate(now)
    if person is None and person_data is not None and person_data.national_id:
        person = Person.objects.active().filter(national_id=person_data.national_id).first()
    if person is None and person_data is None:
        raise ValidationError({"person": _("Cần chọn người hoặc nhập thông tin người tiếp xúc.")})
    ward = ward or (person.ward if person is not None else person_data.ward if person_data else None)
    check_contact_record(
        actor=actor, source_case=source_case, source_contact=source_contact, person=person, ward=ward,
        setting=setting, kind=kind, contacted_on=contacted_on, doses=doses, last_dose_on=last_dose_on, today=today,
    )  # fmt: skip
    if person is None:
        assert person_data is not None
        person = person_create(actor=actor, data=person_data)
    elif person_data is not None:
        person = person_complete(actor=actor, person=person, data=person_data)
    existing = _open_duplicate(person=person, source_case=source_case, source_contact=source_contact)
    if existing is not None:
        if contacted_on > existing.contacted_on:
            _replan(actor=actor, contact=existing, contacted_on=contacted_on, doses=doses, last_dose_on=last_dose_on)
        return existing, False
    plan, doses, last_dose_on, vaccinated, recovered_on = plan_for(
        person=person, contacted_on=contacted_on, doses=doses, last_dose_on=last_dose_on
    )
    assert ward is not None
    contact = Contact(
        person=person, ward=ward, source_case=source_case, source_contact=source_contact,
        generation=1 if source_case is not None else 2, setting=setting, kind=kind, contacted_on=contacted_on,
        vaccine_doses=doses, last_dose_on=last_dose_on, fully_vaccinated=vaccinated, recovered_on=recovered_on,
        created_by=actor,
    )  # fmt: skip
    _apply_plan(contact, plan)
    if cluster is None and setting == Setting.HOUSEHOLD and source_case is not None:
        cluster = household_cluster(actor=actor, case=source_case)
    if cluster is not None:
        check_cluster(actor=actor, cluster=cluster)
    contact.cluster = cluster
    contact.save()
    tallies_touch(contact=contact, created=True)
    audit_record(
        actor=actor, event=Event.CREATE, target_type="contact", target_id=contact.pk, area=ward,
        changes={"person": person.pk, "source_case": source_case, "source_contact": source_contact,
                 "generation": contact.generation, "setting": setting, "kind": kind, "contacted_on": contacted_on,
                 "quarantine_rule_set": contact.quarantine_rule_set, "quarantine_until": contact.quarantine_until,
                 "monitor_until": contact.monitor_until, "test_days": contact.test_days, "cluster": cluster},
    )  # fmt: skip
    return contact, True


def _apply_plan(contact: Contact, plan: QuarantinePlan) -> None:
    contact.quarantine_rule_set = plan.rule_set
    contact.quarantine_until = plan.quarantine_until
    contact.monitor_until = plan.monitor_until
    contact.test_days = [day.isoformat() for day in plan.test_days]
    contact.test_when_symptomatic = plan.test_when_symptomatic
    contact.plan_reasons = list(plan.reasons)
    contact.status = ContactStatus.QUARANTINE if plan.quarantine_until else ContactStatus.MONITORING
    contact.next_test_on = next_test_after(test_days=contact.test_days, last_test_on=contact.last_test_on)


def _replan(*, actor: User, contact: Contact, contacted_on: date, doses: int | None, last_dose_on: date | None) -> None:
    """A later exposure to the same source: the plan restarts from it (the rule set of the new date)."""
    tallies_touch(contact=contact)
    plan, doses, last_dose_on, vaccinated, recovered_on = plan_for(
        person=contact.person, contacted_on=contacted_on,
        doses=doses if doses is not None else contact.vaccine_doses, last_dose_on=last_dose_on or contact.last_dose_on,
    )  # fmt: skip
    before = {"contacted_on": contact.contacted_on, "quarantine_until": contact.quarantine_until,
              "monitor_until": contact.monitor_until, "quarantine_rule_set": contact.quarantine_rule_set}  # fmt: skip
    contact.contacted_on = contacted_on
    contact.vaccine_doses, contact.last_dose_on, contact.fully_vaccinated = doses, last_dose_on, vaccinated
    contact.recovered_on = recovered_on
    _apply_plan(contact, plan)
    contact.version += 1
    contact.save()
    after = {name: getattr(contact, name) for name in before}
    audit_record(
        actor=actor, event=Event.UPDATE, target_type="contact", target_id=contact.pk, area=contact.ward,
        changes={name: [before[name], after[name]] for name in before if before[name] != after[name]},
        extra={"reason": "later_exposure"},
    )  # fmt: skip


# --- assignment --------------------------------------------------------------------------------------


@transaction.atomic
def contact_assign(*, actor: User, contact: Contact, assignee: User | None, expected_version: int) -> Contact:
    """Give an open F1 to a ward officer or team member of its ward (None: nobody); refused when someone changed
    the F1 since `expected_version` was read."""
    if actor.area is None or not area_contains(actor.area, contact.ward):
        raise ValidationError({"assigned_to": _("F1 này không thuộc địa bàn của bạn.")})
    if not contact.is_open:
        raise ValidationError({"assigned_to": _("Chỉ phân công theo dõi F1 đang cách ly hoặc tự theo dõi.")})
    if assignee is not None:
        if not assignee.is_active or assignee.role not in ASSIGNEE_ROLES:
            raise ValidationError(
                {"assigned_to": _("Người theo dõi phải là cán bộ trạm y tế hoặc thành viên tổ cộng đồng.")}
            )
        if assignee.area is None or not area_contains(assignee.area, contact.ward):
            raise ValidationError({"assigned_to": _("Người theo dõi phải thuộc phường/xã theo dõi F1 này.")})
    old = contact.assigned_to_id
    updated = Contact.objects.filter(pk=contact.pk, version=expected_version).update(
        assigned_to=assignee, version=F("version") + 1
    )
    if not updated:
        raise ValidationError(
            {"assigned_to": _("F1 này vừa được người khác cập nhật. Hãy tải lại trang rồi phân công lại.")}
        )
    audit_record(
        actor=actor, event=Event.UPDATE, target_type="contact", target_id=contact.pk, area=contact.ward,
        changes={"assigned_to": [old, assignee.pk if assignee else None]},
    )  # fmt: skip
    contact.assigned_to = assignee
    contact.version = expected_version + 1
    return contact
