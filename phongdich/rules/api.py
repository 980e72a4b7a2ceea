"""The triage API: POST /api/v1/triage triages one set of readings by the rules in force on a date; nothing is stored.

Any signed-in user or API token may call it (other applications triage their own declarations with it).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from phongdich.cases.models import AlertLevel, Severity
from phongdich.rules.registry import NoRuleInForce, rule_set_by_code
from phongdich.rules.triage import Vitals, symptoms_check, triage, vitals_check

router = Router(tags=["rules"])


class TriageIn(Schema):
    resp_rate: int | None = Field(None, description="Nhịp thở, lần/phút")
    pulse: int | None = Field(None, description="Mạch, lần/phút")
    temperature: float | None = Field(None, description="Nhiệt độ, °C")
    spo2: int | None = Field(None, description="SpO2, %")
    spo2_remeasured: int | None = Field(None, description="SpO2 đo lại sau 30 giây – 1 phút, %")
    bp_systolic: int | None = Field(None, description="Huyết áp tâm thu, mmHg")
    bp_diastolic: int | None = Field(None, description="Huyết áp tâm trương, mmHg")
    symptoms: list[str] = Field(default_factory=list, description="Mã triệu chứng trong danh sách đang áp dụng")
    age: int | None = Field(None, ge=0, le=130, description="Tuổi (năm); hoặc birth_date")
    birth_date: date | None = None
    on: date | None = Field(None, description="Ngày khai báo (mặc định hôm nay): chọn quy định áp dụng")


class TriageSignOut(Schema):
    code: str
    text: str


class TriageRuleSetOut(Schema):
    code: str
    label: str


class TriageOut(Schema):
    level: int
    level_label: str
    severity: str
    severity_label: str
    signs: list[TriageSignOut]
    rule_sets: list[TriageRuleSetOut]
    remeasure_spo2: bool


def _age(payload: TriageIn, on: date) -> int | None:
    if payload.age is not None or payload.birth_date is None:
        return payload.age
    born = payload.birth_date
    if born > on:
        raise ValidationError({"birth_date": _("Ngày sinh sau ngày khai báo.")})
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@router.post("", response=TriageOut, summary="Phân loại một lần khai báo (không lưu)")
def triage_post(request: HttpRequest, payload: TriageIn) -> dict:
    on = payload.on or timezone.localdate()
    vitals = Vitals(
        resp_rate=payload.resp_rate,
        pulse=payload.pulse,
        temperature=payload.temperature,
        spo2=payload.spo2,
        spo2_remeasured=payload.spo2_remeasured,
        bp_systolic=payload.bp_systolic,
        bp_diastolic=payload.bp_diastolic,
        symptoms=frozenset(payload.symptoms),
    )
    vitals_check(vitals)
    try:
        symptoms_check(symptoms=vitals.symptoms, on=on)
        result = triage(vitals=vitals, age=_age(payload, on), on=on)
    except NoRuleInForce:
        raise ValidationError(
            {"on": _("Chưa có quy định phân loại nào áp dụng cho ngày %(on)s.") % {"on": f"{on:%d/%m/%Y}"}}
        ) from None
    return {
        "level": result.level,
        "level_label": str(AlertLevel(result.level).label),
        "severity": result.severity,
        "severity_label": str(Severity(result.severity).label) if result.severity else "",
        "signs": [{"code": sign.code, "text": sign.text} for sign in result.signs],
        "rule_sets": [{"code": code, "label": rule_set_by_code(code).label} for code in result.rule_sets],
        "remeasure_spo2": result.remeasure_spo2,
    }
