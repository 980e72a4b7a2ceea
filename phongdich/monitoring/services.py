"""Writes of home monitoring: declaring health, personal links, and acknowledging, handling, escalating alerts."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Case as CaseWhen
from django.db.models import DateTimeField, F, Q, Value, When
from django.db.models import PositiveSmallIntegerField as SmallInt
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from phongdich.accounts.models import User
from phongdich.areas.models import Area
from phongdich.areas.scoping import area_covers_ward
from phongdich.audit.models import AuditLog, Event
from phongdich.audit.services import audit_entry, audit_record
from phongdich.cases.models import AlertLevel, Case, Status
from phongdich.monitoring.models import (
    UNHANDLED,
    Alert,
    AlertAction,
    AlertStatus,
    Channel,
    Declaration,
    PatientLink,
    Period,
)
from phongdich.monitoring.onestatement import declaration_write
from phongdich.reports.tallies import tallies_touch
from phongdich.rules.triage import TriageResult, Vitals, symptoms_check, triage, vitals_check

# A declaration stamped a little ahead of the server clock (a phone's clock) is still accepted.
CLOCK_SKEW = timedelta(minutes=5)
# Afternoon starts at noon, local time: the sheet is filled "morning and afternoon" (QĐ 261/QĐ-BYT).
EVENING_FROM_HOUR = 12


class NotAccepted(ValidationError):
    """A declaration refused without saying why: unknown or revoked link, released or dead F0."""


def neutral_refusal() -> NotAccepted:
    """The one answer for an unknown, revoked, released or dead F0: it reveals nothing about who exists."""
    return NotAccepted(_("Không thể ghi nhận khai báo theo liên kết hoặc mã này. Vui lòng liên hệ trạm y tế."))


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def period_of(moment: datetime) -> str:
    return Period.MORNING if timezone.localtime(moment).hour < EVENING_FROM_HOUR else Period.EVENING


# --- declarations -----------------------------------------------------------------------------


def check_declaration_submit(*, case: Case, declared_at: datetime, now: datetime) -> None:
    if case.status != Status.ACTIVE:
        raise neutral_refusal()
    if declared_at > now + CLOCK_SKEW:
        raise ValidationError({"declared_at": _("Thời điểm khai báo không được ở tương lai.")})
    if timezone.localdate(declared_at) < case.confirmed_on:
        raise ValidationError(
            {"declared_at": _("Thời điểm khai báo phải từ ngày có kết quả dương tính (%(day)s).")
             % {"day": f"{case.confirmed_on:%d/%m/%Y}"}}
        )  # fmt: skip


def _alert_open_or_raise(*, case: Case, declaration: Declaration, result: TriageResult, now: datetime) -> Alert:
    """Raise the case's unhandled alert (level up, signs replaced), or open one; never two unhandled at once."""
    signs = [{"code": s.code, "text": str(s.text)} for s in result.signs]
    raising = Q(level__lt=result.level)

    def raise_unhandled() -> int:
        return Alert.objects.filter(case_id=case.pk, status__in=UNHANDLED).update(
            level=CaseWhen(When(raising, then=Value(result.level)), default=F("level"), output_field=SmallInt()),
            raised_at=CaseWhen(When(raising, then=Value(now)), default=F("raised_at"), output_field=DateTimeField()),
            signs=signs,
            declaration=declaration,
            version=F("version") + 1,
        )

    if not raise_unhandled():
        try:
            with transaction.atomic():
                alert = Alert.objects.create(
                    case=case, ward_id=case.ward_id, declaration=declaration, level=result.level, signs=signs,
                    created_at=now, raised_at=now,
                )  # fmt: skip
                tallies_touch(alert=alert, created=True)
                return alert
        except IntegrityError:
            # Another declaration of the same case opened one a moment ago: raise that one instead.
            raise_unhandled()
    return Alert.objects.get(case_id=case.pk, status__in=UNHANDLED)


def declaration_submit(
    *,
    case: Case,
    vitals: Vitals,
    declared_at: datetime | None = None,
    period: str | None = None,
    note: str = "",
    channel: Channel | str,
    entered_by: User | None = None,
) -> Declaration:
    """Store one health sheet with its triage, move the case's follow-up columns, open or raise an alert."""
    with transaction.atomic():
        return _declaration_store(
            case=case, vitals=vitals, declared_at=declared_at, period=period, note=note, channel=channel,
            entered_by=entered_by,
        )  # fmt: skip


def _declaration_store(
    *,
    case: Case,
    vitals: Vitals,
    declared_at: datetime | None,
    period: str | None,
    note: str,
    channel: Channel | str,
    entered_by: User | None,
) -> Declaration:
    """declaration_submit's work, inside the caller's transaction (the link path adds one UPDATE to it)."""
    now = timezone.now()
    declared_at = declared_at or now
    check_declaration_submit(case=case, declared_at=declared_at, now=now)
    if entered_by is not None:
        _check_case_in_area(actor=entered_by, case=case)
    if period and period not in Period.values:
        raise ValidationError({"period": _("Buổi khai báo không hợp lệ.")})
    if vitals == Vitals() and not note.strip():
        raise ValidationError(_("Hãy nhập ít nhất một chỉ số (SpO2, nhịp thở, mạch, nhiệt độ…) hoặc chọn triệu chứng."))
    vitals_check(vitals)
    on = timezone.localdate(declared_at)
    symptoms_check(symptoms=vitals.symptoms, on=on)
    result = triage(vitals=vitals, age=case.age, on=on)
    declaration = Declaration(
        case=case, declared_at=declared_at, period=period or period_of(declared_at),
        resp_rate=vitals.resp_rate, pulse=vitals.pulse, temperature=vitals.temperature, spo2=vitals.spo2,
        spo2_remeasured=vitals.spo2_remeasured, bp_systolic=vitals.bp_systolic, bp_diastolic=vitals.bp_diastolic,
        symptoms=sorted(vitals.symptoms), note=note.strip(), channel=channel, entered_by=entered_by,
        alert_level=result.level, severity=result.severity,
        signs=[{"code": s.code, "text": str(s.text)} for s in result.signs], rule_sets=list(result.rule_sets),
    )  # fmt: skip
    # Not stored: what the page says after submitting (e.g. "đo lại SpO2") needs the whole decision.
    declaration.triage_result = result  # type: ignore[attr-defined]

    def audit(alert: Alert | None) -> AuditLog:
        return audit_entry(
            actor=entered_by, event=Event.CREATE, target_type="declaration", target_id=declaration.pk, area=case.ward,
            changes={"case": case.pk, "channel": channel, "alert_level": result.level},
            extra={"alert": alert.pk if alert else None, "rule_sets": list(result.rule_sets)},
        )  # fmt: skip

    if result.level < AlertLevel.URGENT and connection.vendor == "postgresql":
        declaration_write(declaration=declaration, audit=audit(None), case=case, declared_at=declared_at)
        return declaration
    declaration.save(force_insert=True)
    # One UPDATE, and only when this sheet is the latest: a sheet entered late does not overwrite a newer one.
    # "Worsened" compares with the level of the previous sheet, read inside the same UPDATE (no stale read).
    Case.objects.filter(pk=case.pk).filter(Q(last_declared_at__isnull=True) | Q(last_declared_at__lte=declared_at)).update(
        last_declared_at=declared_at,
        last_alert_level=result.level,
        worsened=CaseWhen(When(last_alert_level__lt=result.level, then=Value(True)), default=Value(False)),
        severity=result.severity or F("severity"),
    )  # fmt: skip
    alert = None
    if result.level >= AlertLevel.URGENT:
        alert = _alert_open_or_raise(case=case, declaration=declaration, result=result, now=now)
    audit(alert).save(force_insert=True)
    return declaration


# --- personal links ---------------------------------------------------------------------------


def _check_case_in_area(*, actor: User, case: Case) -> None:
    if actor.area is None or not area_covers_ward(actor.area, case.ward):
        raise ValidationError(_("F0 này không thuộc địa bàn của bạn."))


@transaction.atomic
def patient_link_create(*, actor: User, case: Case) -> tuple[PatientLink, str]:
    """A new personal link for the case (the old one stops working); the raw token is returned only here."""
    _check_case_in_area(actor=actor, case=case)
    if case.status != Status.ACTIVE:
        raise ValidationError(_("F0 này không còn được theo dõi nên không thể tạo liên kết khai báo."))
    now = timezone.now()
    revoked = list(PatientLink.objects.filter(case=case, revoked_at__isnull=True).values_list("pk", flat=True))
    PatientLink.objects.filter(pk__in=revoked).update(revoked_at=now, revoked_by=actor)
    raw = secrets.token_urlsafe(24)
    link = PatientLink.objects.create(case=case, token_hash=token_hash(raw), created_by=actor)
    audit_record(
        actor=actor, event=Event.CREATE, target_type="patient_link", target_id=link.pk, area=case.ward,
        changes={"case": case.pk}, extra={"revoked": revoked},
    )  # fmt: skip
    return link, raw


@transaction.atomic
def patient_link_revoke(*, actor: User, link: PatientLink) -> PatientLink:
    _check_case_in_area(actor=actor, case=link.case)
    now = timezone.now()
    if PatientLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=now, revoked_by=actor):
        audit_record(
            actor=actor, event=Event.UPDATE, target_type="patient_link", target_id=link.pk, area=link.case.ward,
            changes={"revoked_at": [None, now]},
        )  # fmt: skip
    link.refresh_from_db()
    return link


def patient_link_find(token: str) -> PatientLink | None:
    """The live link for `token` whose F0 is still followed, with its case and ward; one indexed lookup."""
    if not token or len(token) > 100:
        return None
    try:
        return PatientLink.objects.select_related("case__ward").get(
            token_hash=token_hash(token), revoked_at__isnull=True, case__status=Status.ACTIVE
        )
    except PatientLink.DoesNotExist:
        return None


def patient_link_case(token: str) -> Case | None:
    link = patient_link_find(token)
    return link.case if link else None


def declaration_submit_by_link(*, token: str, vitals: Vitals, note: str = "") -> Declaration:
    """A declaration by the patient or family through their personal link; refused neutrally when not live.

    The hot path of the benchmark: one indexed lookup, then one transaction of INSERT declaration, UPDATE case,
    (alert), INSERT audit."""
    link = patient_link_find(token)
    if link is None:
        raise neutral_refusal()
    with transaction.atomic():
        declaration = _declaration_store(
            case=link.case, vitals=vitals, declared_at=None, period=None, note=note, channel=Channel.LINK,
            entered_by=None,
        )  # fmt: skip
    return declaration


# --- alerts -------------------------------------------------------------------------------------


class StaleAlert(ValidationError):
    """Someone acknowledged, handled or raised the alert since the caller read it (optimistic lock)."""


def _stale(alert_id: int) -> StaleAlert:
    """Why a conditional update found nothing: someone acknowledged, handled or raised the alert first."""
    current = Alert.objects.select_related("handled_by", "acknowledged_by").filter(pk=alert_id).first()
    if current is None:
        return StaleAlert(_("Không tìm thấy cảnh báo này; tải lại để xem."))
    if current.status == AlertStatus.HANDLED:
        who, when, what = current.handled_by, current.handled_at, _("xử lý")
    elif current.status == AlertStatus.ACKNOWLEDGED:
        who, when, what = current.acknowledged_by, current.acknowledged_at, _("nhận")
    else:
        who, when, what = None, current.raised_at, _("cập nhật theo khai báo mới")
    name = (who.get_full_name() or who.get_username()) if who else ""
    return StaleAlert(
        _("Cảnh báo này vừa được %(who)s%(what)s lúc %(when)s; tải lại để xem.")
        % {
            "who": f"{name} " if name else "",
            "what": what,
            "when": date_format(timezone.localtime(when), "H:i d/m/Y") if when else "",
        }
    )


def _check_alert_actor(*, actor: User, alert: Alert) -> None:
    if actor.area is None or not area_covers_ward(actor.area, alert.ward):
        raise ValidationError(_("Cảnh báo này không thuộc địa bàn của bạn."))


@transaction.atomic
def alert_acknowledge(*, actor: User, alert: Alert, version: int) -> Alert:
    """Take the alert ("đã nhận"): the first action, whose time is what "time to first action" measures."""
    _check_alert_actor(actor=actor, alert=alert)
    now = timezone.now()
    rows = Alert.objects.filter(pk=alert.pk, version=version, status=AlertStatus.OPEN).update(
        status=AlertStatus.ACKNOWLEDGED, acknowledged_at=now, acknowledged_by=actor, version=F("version") + 1
    )
    if not rows:
        raise _stale(alert.pk)
    audit_record(
        actor=actor, event=Event.UPDATE, target_type="alert", target_id=alert.pk, area=alert.ward,
        changes={"status": [AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED]},
    )  # fmt: skip
    alert.refresh_from_db()
    return alert


@transaction.atomic
def alert_handle(*, actor: User, alert: Alert, action: AlertAction | str, note: str, version: int) -> Alert:
    """Close the alert with what was done; a stale version (someone else got there first) is refused."""
    _check_alert_actor(actor=actor, alert=alert)
    if action not in AlertAction.values:
        raise ValidationError({"action": _("Hãy chọn cách xử trí.")})
    note = note.strip()
    if len(note) > 2000:
        raise ValidationError({"note": _("Ghi chú xử trí dài quá 2.000 ký tự.")})
    now = timezone.now()
    tallies_touch(alert=alert)
    rows = Alert.objects.filter(pk=alert.pk, version=version, status__in=UNHANDLED).update(
        status=AlertStatus.HANDLED, handled_at=now, handled_by=actor, action=action, note=note,
        version=F("version") + 1,
    )  # fmt: skip
    if not rows:
        raise _stale(alert.pk)
    audit_record(
        actor=actor, event=Event.UPDATE, target_type="alert", target_id=alert.pk, area=alert.ward,
        changes={"status": [alert.status, AlertStatus.HANDLED], "action": [None, action]},
        extra={"case": alert.case_id},
    )  # fmt: skip
    alert.refresh_from_db()
    return alert


@transaction.atomic
def alerts_escalate(*, now: datetime | None = None) -> int:
    """Flag emergency alerts still unhandled PHONGDICH_ALERT_ESCALATE_MINUTES after they became emergencies,
    so that they head the district's queue. Returns how many were escalated."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.PHONGDICH_ALERT_ESCALATE_MINUTES)
    due = Alert.objects.filter(
        status__in=UNHANDLED, level=AlertLevel.EMERGENCY, raised_at__lte=cutoff, escalated_at__isnull=True
    )
    rows = list(due.values_list("pk", "ward_id"))
    if not rows:
        return 0
    count = Alert.objects.filter(pk__in=[pk for pk, _ward in rows], escalated_at__isnull=True).update(escalated_at=now)
    wards = Area.objects.in_bulk({ward_id for _pk, ward_id in rows})
    for pk, ward_id in rows:
        audit_record(
            actor=None, event=Event.UPDATE, target_type="alert", target_id=pk, area=wards[ward_id],
            changes={"escalated_at": [None, now]},
        )  # fmt: skip
    return count
