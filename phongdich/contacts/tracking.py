"""Writes during an F1's follow-up: daily checks, tests, the end of quarantine or monitoring, and F1 → F0.

Each keeps the contact's follow-up columns current (`next_test_on`, `needs_test`, `positive_on`, status) and
bumps `version`, so a page opened before another officer's change is told rather than overwriting it.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phongdich.accounts.models import User
from phongdich.areas.scoping import area_contains
from phongdich.audit.models import Event
from phongdich.audit.services import audit_record
from phongdich.cases.models import Case, Source, TestKind
from phongdich.cases.services import CaseIntake, case_register
from phongdich.contacts.models import OPEN_STATUSES, Contact, ContactCheck, ContactStatus, ContactTest
from phongdich.contacts.services import next_test_after
from phongdich.reports.tallies import tallies_touch
from phongdich.rules.quarantine import f1_symptoms_in_force, symptoms_assess
from phongdich.rules.triage import Vitals, vitals_check

STALE = gettext_lazy("F1 này vừa được người khác cập nhật. Hãy tải lại trang để xem thay đổi.")


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def _check_open(*, actor: User, contact: Contact, field: str) -> None:
    if actor.area is None or not area_contains(actor.area, contact.ward):
        raise ValidationError({field: _("F1 này không thuộc địa bàn của bạn.")})
    if not contact.is_open:
        raise ValidationError({field: _("F1 này không còn đang theo dõi (%(status)s).")
                               % {"status": contact.get_status_display()}})  # fmt: skip


def _check_day(*, contact: Contact, day: date, field: str, what: str, today: date) -> None:
    if day > today:
        raise ValidationError({field: _("%(what)s %(day)s sau hôm nay.") % {"what": what, "day": _day(day)}})
    if day < contact.contacted_on:
        raise ValidationError(
            {field: _("%(what)s %(day)s trước ngày tiếp xúc (%(contact)s).")
             % {"what": what, "day": _day(day), "contact": _day(contact.contacted_on)}}
        )  # fmt: skip


def _save(contact: Contact, values: dict[str, object], expected_version: int | None) -> None:
    """One conditional UPDATE of the follow-up columns; with `expected_version`, refused when stale."""
    rows = Contact.objects.filter(pk=contact.pk, status__in=OPEN_STATUSES)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if not rows.update(**values, version=F("version") + 1):
        raise ValidationError(STALE)
    contact.refresh_from_db()


@transaction.atomic
def contact_check_record(
    *, actor: User, contact: Contact, checked_on: date, symptoms: frozenset[str] | set[str] | list[str],
    temperature: float | Decimal | None = None, note: str = "", now: datetime | None = None,
) -> ContactCheck:  # fmt: skip
    """A daily symptom check. Meeting the suspected-case rule (fever + cough, or ≥ 3 symptoms) marks the F1
    "needs test" until a test taken on or after that day is recorded."""
    today = timezone.localdate(now)
    _check_open(actor=actor, contact=contact, field="checked_on")
    _check_day(contact=contact, day=checked_on, field="checked_on", what=_("Ngày kiểm tra"), today=today)
    codes = frozenset(symptoms)
    unknown = sorted(codes - {code for code, _label in f1_symptoms_in_force(on=checked_on)})
    if unknown:
        raise ValidationError(
            {"symptoms": _("Triệu chứng không có trong danh sách: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    if temperature is not None:
        vitals_check(Vitals(temperature=float(temperature)))
    verdict = symptoms_assess(
        symptoms=codes, temperature=float(temperature) if temperature is not None else None, on=checked_on
    )
    check = ContactCheck.objects.create(
        contact=contact, checked_on=checked_on, symptoms=sorted(codes),
        temperature=Decimal(str(temperature)) if temperature is not None else None, note=note.strip(),
        suspected=verdict.suspected, verdict=verdict.text, rule_set=verdict.rule_set, entered_by=actor,
    )  # fmt: skip
    values: dict[str, object] = {"last_checked_on": max(filter(None, (contact.last_checked_on, checked_on)))}
    if verdict.suspected and not (contact.last_test_on and contact.last_test_on >= checked_on):
        values.update(needs_test=True, symptomatic_on=max(filter(None, (contact.symptomatic_on, checked_on))))
    _save(contact, values, None)
    audit_record(
        actor=actor, event=Event.CREATE, target_type="contact", target_id=contact.pk, area=contact.ward,
        changes={"check": {"checked_on": checked_on, "symptoms": sorted(codes), "temperature": temperature,
                           "suspected": verdict.suspected, "rule_set": verdict.rule_set}},
    )  # fmt: skip
    return check


@transaction.atomic
def contact_test_record(
    *, actor: User, contact: Contact, tested_on: date, kind: TestKind | str, positive: bool, note: str = "",
    now: datetime | None = None,
) -> ContactTest:  # fmt: skip
    """A test result. A negative one moves the next test day on and clears "needs test" when taken on or after
    the symptoms; a positive one is kept on the F1 (`positive_on`) until it is converted to F0."""
    today = timezone.localdate(now)
    _check_open(actor=actor, contact=contact, field="tested_on")
    _check_day(contact=contact, day=tested_on, field="tested_on", what=_("Ngày xét nghiệm"), today=today)
    if kind not in TestKind.values:
        raise ValidationError({"kind": _("Loại xét nghiệm không hợp lệ.")})
    test = ContactTest.objects.create(
        contact=contact, tested_on=tested_on, kind=kind, positive=positive, note=note.strip(), recorded_by=actor
    )
    last = max(filter(None, (contact.last_test_on, tested_on)))
    values: dict[str, object] = {
        "last_test_on": last,
        "next_test_on": next_test_after(test_days=contact.test_days, last_test_on=last),
    }
    if contact.needs_test and contact.symptomatic_on and tested_on >= contact.symptomatic_on:
        values["needs_test"] = False
    if positive and (contact.positive_on is None or tested_on < contact.positive_on):
        values["positive_on"] = tested_on
    _save(contact, values, None)
    audit_record(
        actor=actor, event=Event.CREATE, target_type="contact", target_id=contact.pk, area=contact.ward,
        changes={"test": {"tested_on": tested_on, "kind": kind, "positive": positive}},
    )  # fmt: skip
    return test


# --- end of quarantine / monitoring ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReleaseCheck:
    allowed: bool
    reason: str  # why not, or what happens
    next_status: str  # monitoring (quarantine over, self-monitoring goes on) or released


def contact_release_check(*, contact: Contact, on: date) -> ReleaseCheck:
    """Whether the F1's quarantine (or, without quarantine, its monitoring) may end on `on`, and why not.

    Quarantine ends on its last day or later, after a negative test taken on or after the last test day of the
    plan; self-monitoring ends on its last day or later. A positive result or unanswered symptoms stop both."""
    refuse = ReleaseCheck
    if not contact.is_open:
        return refuse(False, _("F1 này không còn đang theo dõi."), "")
    if contact.positive_on:
        return refuse(
            False, _("Có kết quả dương tính ngày %(day)s: chuyển thành F0.") % {"day": _day(contact.positive_on)}, ""
        )
    if contact.needs_test:
        return refuse(
            False,
            _("Có triệu chứng nghi nhiễm ngày %(day)s: cần xét nghiệm trước khi kết thúc.")
            % {"day": _day(contact.symptomatic_on or on)},
            "",
        )
    if contact.status == ContactStatus.QUARANTINE:
        assert contact.quarantine_until is not None
        if on < contact.quarantine_until:
            return refuse(
                False, _("Chưa hết thời gian cách ly (đến hết %(day)s).") % {"day": _day(contact.quarantine_until)}, ""
            )
        if contact.test_days:
            last_day = date.fromisoformat(contact.test_days[-1])
            negative = ContactTest.objects.filter(contact=contact, positive=False, tested_on__gte=last_day)
            if not negative.filter(tested_on__lte=on).exists():
                return refuse(
                    False,
                    _("Cần kết quả xét nghiệm âm tính từ ngày %(day)s (ngày xét nghiệm cuối của kế hoạch).")
                    % {"day": _day(last_day)},
                    "",
                )
        if on < contact.monitor_until:
            return ReleaseCheck(
                True,
                _("Kết thúc cách ly; tự theo dõi sức khỏe đến hết %(day)s.") % {"day": _day(contact.monitor_until)},
                ContactStatus.MONITORING,
            )
        return ReleaseCheck(True, _("Kết thúc cách ly và theo dõi."), ContactStatus.RELEASED)
    if on < contact.monitor_until:
        return refuse(
            False, _("Chưa hết thời gian tự theo dõi (đến hết %(day)s).") % {"day": _day(contact.monitor_until)}, ""
        )
    return ReleaseCheck(True, _("Kết thúc theo dõi."), ContactStatus.RELEASED)


@transaction.atomic
def contact_release(
    *, actor: User, contact: Contact, on: date, expected_version: int, now: datetime | None = None
) -> Contact:
    if on > timezone.localdate(now):
        raise ValidationError({"on": _("Ngày kết thúc %(day)s sau hôm nay.") % {"day": _day(on)}})
    _check_open(actor=actor, contact=contact, field="on")
    check = contact_release_check(contact=contact, on=on)
    if not check.allowed:
        raise ValidationError({"on": check.reason})
    old_status = contact.status
    values: dict[str, object] = {"status": check.next_status}
    if old_status == ContactStatus.QUARANTINE:
        values["quarantine_ended_on"] = on
    if check.next_status == ContactStatus.RELEASED:
        values["released_on"] = on
    tallies_touch(contact=contact)
    _save(contact, values, expected_version)
    audit_record(
        actor=actor, event=Event.UPDATE, target_type="contact", target_id=contact.pk, area=contact.ward,
        changes={"status": [old_status, check.next_status], "on": on},
    )  # fmt: skip
    return contact


# --- F1 → F0 -------------------------------------------------------------------------------------------


@transaction.atomic
def contact_convert_to_case(
    *, actor: User, contact: Contact, expected_version: int, now: datetime | None = None
) -> Case:
    """Register the F1 as an F0 from its first positive test, in one step. The contact keeps its source, so who
    infected whom stays; the person's other open contact records close with the same F0; open F2 of this F1
    become F1 of the new F0 (one generation up). The new F0 joins the F1's cluster."""
    _check_open(actor=actor, contact=contact, field="contact")
    test = ContactTest.objects.filter(contact=contact, positive=True).order_by("tested_on", "id").first()
    if test is None:
        raise ValidationError({"contact": _("Chưa có kết quả xét nghiệm dương tính: chưa thể chuyển F0.")})
    if Contact.objects.filter(pk=contact.pk, version=expected_version).count() == 0:
        raise ValidationError(STALE)
    case = Case.objects.filter(person=contact.person, confirmed_on=test.tested_on).first()
    if case is None:
        intake = CaseIntake(vaccine_doses=contact.vaccine_doses, last_dose_on=contact.last_dose_on)
        case = case_register(
            actor=actor, person=contact.person, ward=contact.ward, confirmed_on=test.tested_on, test_kind=test.kind,
            source=Source.F1, intake=intake,
        )  # fmt: skip
    old_status = contact.status
    others = list(
        Contact.objects.filter(person=contact.person, status__in=OPEN_STATUSES).exclude(pk=contact.pk).values("pk")
    )
    tallies_touch(contacts=[contact.pk, *(row["pk"] for row in others)])
    _save(contact, {"status": ContactStatus.CONVERTED, "converted_case": case}, expected_version)
    audit_record(
        actor=actor, event=Event.UPDATE, target_type="contact", target_id=contact.pk, area=contact.ward,
        changes={"status": [old_status, ContactStatus.CONVERTED], "converted_case": case.pk},
        extra={"positive_test": test.pk, "also_converted": [row["pk"] for row in others]},
    )  # fmt: skip
    Contact.objects.filter(pk__in=[row["pk"] for row in others]).update(
        status=ContactStatus.CONVERTED, converted_case=case, version=F("version") + 1
    )
    _promote_f2(actor=actor, contact=contact, case=case)
    if contact.cluster_id:
        contact.cluster.cases.add(case)  # type: ignore[union-attr]
    return case


def _promote_f2(*, actor: User, contact: Contact, case: Case) -> None:
    """Open F2 of the converted F1 are now F1 of its F0 (their plan is unchanged: it depends on their own contact
    date and vaccination). One already recorded as F1 of this F0 is left as it is."""
    already = Contact.objects.filter(source_case=case, status__in=OPEN_STATUSES).values("person_id")
    f2 = Contact.objects.filter(source_contact=contact, status__in=OPEN_STATUSES).exclude(person_id__in=already)
    promoted = list(f2.values_list("pk", flat=True))
    if not promoted:
        return
    tallies_touch(contacts=promoted)
    Contact.objects.filter(pk__in=promoted).update(
        generation=1, source_case=case, source_contact=None, version=F("version") + 1
    )
    audit_record(
        actor=actor, event=Event.UPDATE, target_type="contact", target_id=None, area=contact.ward,
        changes={"generation": [2, 1], "source_case": [None, case.pk]},
        extra={"promoted_f2": promoted, "from_contact": contact.pk},
    )  # fmt: skip
