"""The monitoring API: declarations by other applications and by the personal link, the alert queue and handling.

Schemas are per handler and uniquely named (see people/api.py for why).
"""

from datetime import datetime
from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as HttpStatus
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from phongdich.accounts.api_auth import require_perm
from phongdich.accounts.roles import Perm
from phongdich.cases.models import AlertLevel
from phongdich.cases.selectors import case_for_user, cases_visible_to
from phongdich.monitoring.models import Alert, AlertAction, AlertStatus, Channel, Declaration
from phongdich.monitoring.ratelimit import link_rate_exceeded
from phongdich.monitoring.selectors import (
    QUEUE_HANDLED_TODAY,
    QUEUE_OPEN,
    AlertFilters,
    alert_for_user,
    alert_queue,
    day_of_illness,
)
from phongdich.monitoring.services import (
    NotAccepted,
    StaleAlert,
    alert_acknowledge,
    alert_handle,
    declaration_submit,
    declaration_submit_by_link,
)
from phongdich.people.api import district_by_code, ward_by_code
from phongdich.ratelimit import client_address
from phongdich.rules.triage import Vitals

router = Router(tags=["monitoring"])
PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


# --- declarations --------------------------------------------------------------------------------


class VitalsIn(Schema):
    resp_rate: int | None = Field(None, description="Nhịp thở, lần/phút")
    pulse: int | None = Field(None, description="Mạch, lần/phút")
    temperature: float | None = Field(None, description="Nhiệt độ, °C")
    spo2: int | None = Field(None, description="SpO2, %")
    spo2_remeasured: int | None = Field(None, description="SpO2 đo lại sau 30 giây – 1 phút, %")
    bp_systolic: int | None = None
    bp_diastolic: int | None = None
    symptoms: list[str] = Field(default_factory=list, description="Mã triệu chứng (GET /api/v1/triage/…)")
    note: str = Field("", max_length=1000)

    def vitals(self) -> Vitals:
        return Vitals(
            resp_rate=self.resp_rate, pulse=self.pulse, temperature=self.temperature, spo2=self.spo2,
            spo2_remeasured=self.spo2_remeasured, bp_systolic=self.bp_systolic, bp_diastolic=self.bp_diastolic,
            symptoms=frozenset(self.symptoms),
        )  # fmt: skip


class DeclarationCreateIn(VitalsIn):
    case_id: int | None = None
    case_code: str | None = Field(None, description="Mã F0, ví dụ F0-0000123 (khi không gửi case_id)")
    declared_at: datetime | None = Field(None, description="Mặc định: lúc nhận")


class DeclarationSignOut(Schema):
    code: str
    text: str


class DeclarationOut(Schema):
    id: int
    case_code: str
    declared_at: datetime
    period: str
    channel: str
    alert_level: int
    alert_level_label: str
    severity: str
    signs: list[DeclarationSignOut]
    rule_sets: list[str]
    remeasure_spo2: bool


def _declaration_out(declaration: Declaration) -> DeclarationOut:
    return DeclarationOut(
        id=declaration.pk, case_code=declaration.case.code, declared_at=declaration.declared_at,
        period=declaration.period, channel=declaration.channel, alert_level=declaration.alert_level,
        alert_level_label=str(AlertLevel(declaration.alert_level).label), severity=declaration.severity,
        signs=[DeclarationSignOut(**s) for s in declaration.signs], rule_sets=declaration.rule_sets,
        remeasure_spo2=declaration.triage_result.remeasure_spo2,  # type: ignore[attr-defined]
    )  # fmt: skip


@router.post("/declarations", response={201: DeclarationOut})
def declaration_create(request: HttpRequest, payload: DeclarationCreateIn) -> HttpStatus:
    """A declaration entered by staff or another application for an F0 of the caller's area."""
    user = require_perm(request, Perm.DECLARATION_ENTER)
    if payload.case_id is not None:
        case = case_for_user(user, payload.case_id)
    elif payload.case_code:
        case = cases_visible_to(user).select_related("ward").filter(code=payload.case_code.strip().upper()).first()
        if case is None:
            raise HttpError(404, _("Không tìm thấy, hoặc nằm ngoài địa bàn của bạn."))
    else:
        raise HttpError(422, _("Cần case_id hoặc case_code."))
    try:
        declaration = declaration_submit(
            case=case, vitals=payload.vitals(), declared_at=payload.declared_at, note=payload.note,
            channel=Channel.API, entered_by=user,
        )  # fmt: skip
    except NotAccepted as error:
        raise HttpError(409, " ".join(error.messages)) from error
    return HttpStatus(201, _declaration_out(declaration))


class LinkDeclarationIn(VitalsIn):
    pass


@router.post("/link/{token}/declarations", response={201: DeclarationOut}, auth=None)
def link_declaration_create(request: HttpRequest, token: str, payload: LinkDeclarationIn) -> HttpStatus:
    """A declaration through a personal link (no account); rate-limited per token and per address.

    An unknown or revoked link, or a released F0, all answer the same 404."""
    if link_rate_exceeded(token=token, address=client_address(request)):
        raise HttpError(429, _("Quá nhiều lần gửi trong một giờ; vui lòng thử lại sau."))
    try:
        declaration = declaration_submit_by_link(token=token, vitals=payload.vitals(), note=payload.note)
    except NotAccepted as error:
        raise HttpError(404, " ".join(error.messages)) from error
    return HttpStatus(201, _declaration_out(declaration))


# --- alerts -------------------------------------------------------------------------------------------


class AlertListFilters(Schema):
    tab: Literal["open", "handled_today"] = QUEUE_OPEN
    level: Literal[2, 3] | None = Field(None, description="2 khẩn, 3 cấp cứu")
    status: Literal["open", "acknowledged"] | None = None
    ward: str | None = Field(None, description="Mã GSO phường/xã")
    district: str | None = Field(None, description="Mã GSO quận/huyện")
    escalated: bool = False


class AlertCaseOut(Schema):
    id: int
    code: str
    full_name: str
    age: int | None
    day_of_illness: int


class AlertOut(Schema):
    id: int
    case: AlertCaseOut
    ward_code: str
    ward_name: str
    level: int
    level_label: str
    signs: list[DeclarationSignOut]
    status: str
    created_at: datetime
    waiting_minutes: int | None
    acknowledged_at: datetime | None
    handled_at: datetime | None
    action: str
    note: str
    escalated_at: datetime | None
    minutes_to_first_action: int | None
    version: int

    @staticmethod
    def resolve_case(alert: Alert) -> AlertCaseOut:
        case = alert.case
        return AlertCaseOut(
            id=case.pk, code=case.code, full_name=case.person.full_name, age=case.age,
            day_of_illness=day_of_illness(confirmed_on=case.confirmed_on, today=timezone.localdate()),
        )  # fmt: skip

    @staticmethod
    def resolve_ward_code(alert: Alert) -> str:
        return alert.ward.code

    @staticmethod
    def resolve_ward_name(alert: Alert) -> str:
        return alert.ward.name

    @staticmethod
    def resolve_level_label(alert: Alert) -> str:
        return str(AlertLevel(alert.level).label)

    @staticmethod
    def resolve_waiting_minutes(alert: Alert) -> int | None:
        if alert.status == AlertStatus.HANDLED:
            return None
        return int((timezone.now() - alert.created_at).total_seconds() // 60)


@router.get("/alerts", response=list[AlertOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def alert_list(request: HttpRequest, filters: Query[AlertListFilters]) -> QuerySet[Alert]:
    """The alert queue of the caller's area: highest level, then longest waiting (escalated first above a ward)."""
    user = require_perm(request, Perm.CASE_VIEW)
    ward_id = district_id = None
    if filters.ward:
        ward_id = ward_by_code(user=user, code=filters.ward, field="ward").pk
    elif filters.district:
        district_id = district_by_code(user=user, code=filters.district, field="district").pk
    tab = QUEUE_HANDLED_TODAY if filters.tab == QUEUE_HANDLED_TODAY else QUEUE_OPEN
    return alert_queue(
        user=user,
        filters=AlertFilters(
            tab=tab, level=filters.level, ward_id=ward_id, district_id=district_id, status=filters.status or "",
            escalated=filters.escalated,
        ),
    )  # fmt: skip


class AlertHandleIn(Schema):
    action: AlertAction
    note: str = Field("", max_length=2000)
    version: int


class AlertAckIn(Schema):
    version: int


def _alert_after(request: HttpRequest, alert_id: int) -> Alert:
    return alert_for_user(request.auth, alert_id)  # type: ignore[arg-type]


@router.post("/alerts/{alert_id}/acknowledge", response=AlertOut)
def alert_acknowledge_endpoint(request: HttpRequest, alert_id: int, payload: AlertAckIn) -> Alert:
    """Take the alert; 409 when someone else took, handled or raised it since `version` was read."""
    user = require_perm(request, Perm.ALERT_HANDLE)
    alert = alert_for_user(user, alert_id)
    try:
        alert_acknowledge(actor=user, alert=alert, version=payload.version)
    except StaleAlert as error:
        raise HttpError(409, " ".join(error.messages)) from error
    return _alert_after(request, alert_id)


@router.post("/alerts/{alert_id}/handle", response=AlertOut)
def alert_handle_endpoint(request: HttpRequest, alert_id: int, payload: AlertHandleIn) -> Alert:
    """Close the alert with an action and a note; 409 when it changed since `version` was read (no lost update)."""
    user = require_perm(request, Perm.ALERT_HANDLE)
    alert = alert_for_user(user, alert_id)
    try:
        alert_handle(actor=user, alert=alert, action=payload.action, note=payload.note, version=payload.version)
    except StaleAlert as error:
        raise HttpError(409, " ".join(error.messages)) from error
    return _alert_after(request, alert_id)
