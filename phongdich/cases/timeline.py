"""One F0's story in order: registration, declarations, alerts and their handling, medicines, transfers,
tests, release — and the SpO2 / temperature chart by day of illness."""

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phongdich.audit.models import AuditLog, Event
from phongdich.care.selectors import dispensings_for_case, transfers_for_case
from phongdich.cases.models import AlertLevel, Case, Certificate
from phongdich.monitoring.models import Alert, Declaration

# A timeline shows the latest declarations of a long illness; the chart uses the same rows.
MAX_DECLARATIONS = 120

# Audit updates that are worth a line on the timeline, by the key they change.
_AUDITED_CHANGES = {
    "eligibility": gettext_lazy("Đánh giá điều kiện điều trị tại nhà"),
    "assigned_to": gettext_lazy("Phân công theo dõi"),
    "status": gettext_lazy("Đổi trạng thái"),
}


@dataclass(frozen=True)
class Entry:
    at: datetime
    kind: str  # registration, declaration, alert, alert_handled, medicine, transfer, test, release, change
    title: str
    detail: str = ""
    level: int = AlertLevel.NONE
    by: str = ""


def _who(user: Any) -> str:
    if user is None:
        return _("Người bệnh / người nhà")
    return user.get_full_name() or user.username


def _at(day: Any, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _declarations(case: Case) -> list[Declaration]:
    rows = Declaration.objects.filter(case=case).select_related("entered_by").order_by("-declared_at")
    return list(rows[:MAX_DECLARATIONS])


def case_timeline(case: Case) -> list[Entry]:
    """Every event of `case`, newest first."""
    entries = [
        Entry(case.created_at, "registration", _("Đăng ký F0 %(code)s") % {"code": case.code},
              _("Dương tính ngày %(day)s") % {"day": f"{case.confirmed_on:%d/%m/%Y}"}, by=_who(case.created_by)),
    ]  # fmt: skip
    for d in _declarations(case):
        vitals = [
            f"SpO2 {d.spo2}%" if d.spo2 is not None else "",
            _("nhiệt độ %(t)s°C") % {"t": d.temperature} if d.temperature is not None else "",
            _("nhịp thở %(r)s") % {"r": d.resp_rate} if d.resp_rate is not None else "",
            _("mạch %(p)s") % {"p": d.pulse} if d.pulse is not None else "",
        ]
        signs = "; ".join(s["text"] for s in d.signs)
        entries.append(
            Entry(d.declared_at, "declaration", _("Khai báo sức khỏe (%(channel)s)") % {"channel": d.get_channel_display()},
                  ", ".join(v for v in vitals if v) + (f" — {signs}" if signs else ""), d.alert_level, _who(d.entered_by))
        )  # fmt: skip
    for a in Alert.objects.filter(case=case).select_related("handled_by", "acknowledged_by"):
        signs = "; ".join(s["text"] for s in a.signs)
        entries.append(
            Entry(a.created_at, "alert", _("Cảnh báo: %(level)s") % {"level": a.get_level_display()}, signs, a.level)
        )
        if a.handled_at:
            entries.append(
                Entry(a.handled_at, "alert_handled", _("Xử trí cảnh báo: %(action)s") % {"action": a.get_action_display()},
                      a.note, by=_who(a.handled_by))
            )  # fmt: skip
    for m in dispensings_for_case(case):
        entries.append(
            Entry(m.dispensed_at, "medicine", _("Cấp túi thuốc %(package)s") % {"package": m.package}, m.note,
                  by=_who(m.dispensed_by))
        )  # fmt: skip
    for t in transfers_for_case(case):
        to = t.to_facility.name if t.to_facility else _("về nhà")
        entries.append(
            Entry(t.at, "transfer", _("%(kind)s: %(to)s") % {"kind": t.get_kind_display(), "to": to}, t.reason, by=_who(t.by))
        )  # fmt: skip
    for test in case.isolation_tests.select_related("recorded_by"):
        result = _("âm tính") if test.negative else _("dương tính")
        entries.append(
            Entry(_at(test.tested_on), "test", _("Xét nghiệm %(kind)s: %(result)s") % {"kind": test.get_kind_display(), "result": result},
                  by=_who(test.recorded_by))
        )  # fmt: skip
    certificate = Certificate.objects.filter(case=case).select_related("issued_by").first()
    if certificate:
        entries.append(
            Entry(_at(certificate.issued_on), "release", _("Hoàn thành cách ly"),
                  _("Giấy xác nhận số %(n)s") % {"n": certificate.number}, by=_who(certificate.issued_by))
        )  # fmt: skip
    changes = AuditLog.objects.filter(target_type="case", target_id=case.pk, event=Event.UPDATE).select_related("actor")
    for log in changes:
        titles = [str(title) for key, title in _AUDITED_CHANGES.items() if key in log.changes]
        if titles and "released_on" not in log.changes:
            entries.append(Entry(log.event_time, "change", "; ".join(titles), by=_who(log.actor)))
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


def case_vitals_chart(case: Case) -> dict[str, list[dict[str, float]]]:
    """SpO2 and temperature points for Chart.js, x = day of illness (day 1 = the positive test)."""
    start = _at(case.confirmed_on, hour=0)
    spo2, temperature = [], []
    for d in reversed(_declarations(case)):
        x = round((d.declared_at - start).total_seconds() / 86400 + 1, 2)
        if d.spo2 is not None:
            spo2.append({"x": x, "y": d.spo2})
        if d.temperature is not None:
            temperature.append({"x": x, "y": float(d.temperature)})
    return {"spo2": spo2, "temperature": temperature}
