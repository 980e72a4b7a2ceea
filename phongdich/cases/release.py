"""Ending isolation: the due date by the rule in force, the test that ends it, the release and its certificate.

The rule set in force on the positive test decides (rules/release.py): under CV 11011/BYT-KCB 10 days and
a negative antigen test; from CV 762/BYT-DP 7 days and a negative test, otherwise isolation continues to
10 days (fully vaccinated) or 14 days. The ward health station certifies recovery (CV 762).
"""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.accounts.models import User
from phongdich.audit.models import Event
from phongdich.audit.services import audit_record
from phongdich.care.models import Facility
from phongdich.cases.models import Case, Certificate, IsolationTest, Status, TestKind
from phongdich.reports.tallies import tallies_touch
from phongdich.rules.registry import NoRuleInForce
from phongdich.rules.release import ReleasePlan, fully_vaccinated, release_plan


def case_release_plan(case: Case) -> ReleasePlan | None:
    """The release rule for `case`, or None when its positive test predates every home-care rule."""
    try:
        vaccinated = fully_vaccinated(doses=case.vaccine_doses, last_dose_on=case.last_dose_on, on=case.confirmed_on)
        return release_plan(confirmed_on=case.confirmed_on, fully_vaccinated=vaccinated)
    except NoRuleInForce:
        return None


@dataclass(frozen=True)
class ReleaseCheck:
    """Whether `case` may be released on `on`, and why (shown beside the release button)."""

    allowed: bool
    reason: str
    plan: ReleasePlan | None


def case_release_check(*, case: Case, on: date) -> ReleaseCheck:
    plan = case_release_plan(case)
    if case.status != Status.ACTIVE:
        return ReleaseCheck(False, _("F0 này không còn đang theo dõi."), plan)
    if on < case.confirmed_on:
        return ReleaseCheck(False, _("Ngày hoàn thành cách ly phải sau ngày dương tính."), plan)
    if plan is None:
        # Before QĐ 4038/QĐ-BYT nobody was isolated at home: no duration to apply, the station decides on a test.
        if any(t.negative for t in case.isolation_tests.all()):
            return ReleaseCheck(
                True, _("Có kết quả âm tính (không có quy định thời gian cho ngày dương tính này)."), plan
            )
        return ReleaseCheck(False, _("Cần kết quả xét nghiệm âm tính."), plan)
    if on < plan.due_on:
        return ReleaseCheck(
            False,
            _("Chưa đủ ngày: sớm nhất %(day)s (%(rule)s).")
            % {"day": f"{plan.due_on:%d/%m/%Y}", "rule": plan.rule_label},
            plan,
        )
    if not plan.needs_negative_test:
        return ReleaseCheck(
            True,
            _("Đủ %(days)s ngày (%(rule)s).")
            % {"days": (plan.due_on - case.confirmed_on).days, "rule": plan.rule_label},
            plan,
        )
    tests = [t for t in case.isolation_tests.all() if t.tested_on >= plan.due_on - timedelta(days=1)]
    if any(t.negative for t in tests):
        return ReleaseCheck(True, _("Đủ ngày và có kết quả âm tính (%(rule)s).") % {"rule": plan.rule_label}, plan)
    if plan.extended_due_on and on >= plan.extended_due_on:
        return ReleaseCheck(
            True,
            _("Đã cách ly kéo dài đến %(day)s (%(rule)s).")
            % {"day": f"{plan.extended_due_on:%d/%m/%Y}", "rule": plan.rule_label},
            plan,
        )
    if tests:
        extended = f"{plan.extended_due_on:%d/%m/%Y}" if plan.extended_due_on else "—"
        return ReleaseCheck(
            False,
            _("Xét nghiệm còn dương tính: tiếp tục cách ly đến %(day)s (%(rule)s).")
            % {"day": extended, "rule": plan.rule_label},
            plan,
        )
    return ReleaseCheck(False, _("Cần kết quả xét nghiệm âm tính (%(rule)s).") % {"rule": plan.rule_label}, plan)


@transaction.atomic
def isolation_test_record(
    *, actor: User, case: Case, tested_on: date, kind: TestKind | str, negative: bool, supervised: bool = True
) -> IsolationTest:
    if case.status != Status.ACTIVE:
        raise ValidationError(_("F0 này không còn đang theo dõi."))
    if tested_on < case.confirmed_on or tested_on > timezone.localdate():
        raise ValidationError({"tested_on": _("Ngày xét nghiệm phải từ ngày dương tính đến hôm nay.")})
    test = IsolationTest.objects.create(
        case=case, tested_on=tested_on, kind=kind, negative=negative, supervised=supervised, recorded_by=actor
    )
    audit_record(
        actor=actor, event=Event.CREATE, target_type="case", target_id=case.pk, area=case.ward,
        changes={"isolation_test": {"tested_on": tested_on, "kind": kind, "negative": negative}},
    )  # fmt: skip
    return test


def _certificate_number(case: Case, on: date) -> str:
    return f"HTCL-{case.ward.code}-{on:%Y}-{case.pk:07d}"


@transaction.atomic
def case_release(*, actor: User, case: Case, released_on: date, expected_version: int) -> Certificate:
    """Release `case` and issue its certificate. A stale `expected_version` (someone else changed the
    F0 since the page was loaded) is refused rather than overwritten."""
    if released_on > timezone.localdate():
        raise ValidationError({"released_on": _("Ngày hoàn thành cách ly không được ở tương lai.")})
    check = case_release_check(case=case, on=released_on)
    if not check.allowed:
        raise ValidationError({"released_on": check.reason})
    tallies_touch(case=case)
    updated = Case.objects.filter(pk=case.pk, version=expected_version, status=Status.ACTIVE).update(
        status=Status.RELEASED, released_on=released_on, version=F("version") + 1
    )
    if not updated:
        raise ValidationError(_("F0 này vừa được người khác cập nhật. Hãy tải lại trang để xem thay đổi."))
    certificate = Certificate.objects.create(
        case=case, number=_certificate_number(case, released_on), issued_on=released_on, issued_by=actor,
        token=secrets.token_urlsafe(32),
    )  # fmt: skip
    audit_record(
        actor=actor, event=Event.UPDATE, target_type="case", target_id=case.pk, area=case.ward,
        changes={"status": [Status.ACTIVE, Status.RELEASED], "released_on": [None, released_on],
                 "certificate": certificate.number, "rule_set": check.plan.rule_set if check.plan else ""},
    )  # fmt: skip
    case.refresh_from_db()
    return certificate


def certificate_by_token(token: str) -> Certificate | None:
    """The certificate behind a QR code, for the public check page (no account)."""
    if not token or len(token) > 64:
        return None
    return Certificate.objects.select_related("case__person", "case__ward__parent").filter(token=token).first()


def initials(full_name: str) -> str:
    """ "Nguyễn Văn An" → "N. V. A." — all the public check page shows of a name."""
    return " ".join(f"{part[0].upper()}." for part in full_name.split() if part)


@transaction.atomic
def case_death_record(
    *, actor: User, case: Case, died_on: date, expected_version: int, note: str = "", today: date | None = None
) -> Case:
    """Record the death of an F0: status "died" and the date; a case at a facility frees its bed. Refused for a
    future date, a date before the positive test, a case no longer followed, or a stale version."""
    today = today or timezone.localdate()
    if died_on > today:
        raise ValidationError({"died_on": _("Ngày tử vong không được ở tương lai.")})
    if died_on < case.confirmed_on:
        raise ValidationError(
            {"died_on": _("Ngày tử vong phải từ ngày dương tính (%(day)s).") % {"day": f"{case.confirmed_on:%d/%m/%Y}"}}
        )
    if case.status == Status.RELEASED:
        raise ValidationError({"died_on": _("F0 này đã hoàn thành cách ly, không thể ghi nhận tử vong.")})
    if case.status != Status.ACTIVE:
        raise ValidationError({"died_on": _("F0 này đã được ghi nhận tử vong.")})
    note = note.strip()
    if len(note) > 500:
        raise ValidationError({"note": _("Ghi chú dài quá 500 ký tự.")})
    tallies_touch(case=case)
    updated = Case.objects.filter(pk=case.pk, version=expected_version, status=Status.ACTIVE).update(
        status=Status.DIED, died_on=died_on, version=F("version") + 1
    )
    if not updated:
        raise ValidationError(_("F0 này vừa được người khác cập nhật. Hãy tải lại trang để xem thay đổi."))
    if case.facility_id is not None:
        Facility.objects.filter(pk=case.facility_id, occupied__gt=0).update(occupied=F("occupied") - 1)
    audit_record(
        actor=actor, event=Event.UPDATE, target_type="case", target_id=case.pk, area=case.ward,
        changes={"status": [case.status, Status.DIED], "died_on": [None, died_on]}, extra={"note": note},
    )  # fmt: skip
    case.refresh_from_db()
    return case
