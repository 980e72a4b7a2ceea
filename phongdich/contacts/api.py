"""The F1 API: list and record contacts, one contact, its checks and tests, F1 → F0, the transmission tree, and
the what-if quarantine plan. Same selectors and services as the pages: 404 outside the area, 403, 422.

Schemas are per handler and uniquely named (see people/api.py for why).
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as HttpStatus
from ninja.pagination import PageNumberPagination, paginate

from phongdich.accounts.api_auth import check_perm, require_perm
from phongdich.accounts.roles import Perm
from phongdich.cases.models import TestKind
from phongdich.cases.selectors import case_for_user
from phongdich.contacts.models import ContactCheck, ContactKind, ContactStatus, ContactTest, Setting
from phongdich.contacts.selectors import REASONS, ContactFilters, cluster_for_user, contact_for_user, contact_list
from phongdich.contacts.services import contact_record
from phongdich.contacts.tracking import contact_check_record, contact_convert_to_case, contact_test_record
from phongdich.contacts.tree import transmission_tree
from phongdich.people.api import (
    PersonCreateIn,
    WardOut,
    district_by_code,
    person_data_from,
    person_match_from,
    ward_by_code,
)
from phongdich.people.selectors import person_for_user
from phongdich.rules.quarantine import quarantine_plan
from phongdich.rules.registry import NoRuleInForce
from phongdich.rules.release import fully_vaccinated

router = Router(tags=["contacts"])
PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


class ContactPersonOut(Schema):
    id: int
    full_name: str
    birth_year: int | None
    phone: str


class ContactOut(Schema):
    id: int
    person: ContactPersonOut
    ward: WardOut
    generation: int
    source_case_id: int | None
    source_contact_id: int | None
    setting: Setting
    kind: ContactKind
    contacted_on: date
    status: ContactStatus
    quarantine_rule_set: str
    quarantine_until: date | None
    monitor_until: date
    test_days: list[date]
    next_test_on: date | None
    needs_test: bool
    positive_on: date | None
    converted_case_id: int | None
    cluster_id: int | None
    assigned_to_id: int | None
    version: int


# --- GET /contacts ----------------------------------------------------------------------------------


class ContactListFilters(Schema):
    status: ContactStatus | None = None
    reason: str = Field("", description="Việc cần làm: " + ", ".join(REASONS))
    ward: str | None = Field(None, description="Mã GSO phường/xã theo dõi")
    district: str | None = Field(None, description="Mã GSO quận/huyện")
    source_case: int | None = None
    cluster: int | None = None
    generation: int | None = Field(None, ge=1, le=2)
    q: str = Field("", description="Họ tên (có hoặc không dấu)")


@router.get("", response=list[ContactOut], summary="Danh sách F1, F2 trong địa bàn")
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def contact_list_api(request: HttpRequest, filters: Query[ContactListFilters]) -> object:
    user = require_perm(request, Perm.CASE_VIEW)
    if filters.reason and filters.reason not in REASONS:
        raise ValidationError({"reason": _("Việc cần làm phải là một trong: %(r)s.") % {"r": ", ".join(REASONS)}})
    ward_id = ward_by_code(user=user, code=filters.ward, field="ward").pk if filters.ward else None
    district_id = district_by_code(user=user, code=filters.district, field="district").pk if filters.district else None
    values = ContactFilters(
        status=filters.status or "", reason=filters.reason, district_id=district_id, ward_id=ward_id,
        source_case_id=filters.source_case, cluster_id=filters.cluster, generation=filters.generation, q=filters.q,
    )  # fmt: skip
    return contact_list(user=user, filters=values, today=timezone.localdate())


@router.get("/{int:contact_id}", response=ContactOut, summary="Một F1/F2")
def contact_detail_api(request: HttpRequest, contact_id: int) -> object:
    return contact_for_user(require_perm(request, Perm.CASE_VIEW), contact_id)


# --- POST /contacts --------------------------------------------------------------------------------


class ContactCreateIn(Schema):
    source_case_id: int | None = Field(None, description="F0 nguồn (ghi F1); hoặc source_contact_id")
    source_contact_id: int | None = Field(None, description="F1 nguồn (ghi F2)")
    person_id: int | None = Field(None, description="Người đã có trong sổ; hoặc gửi `person`")
    person: PersonCreateIn | None = None
    new_person: bool = Field(False, description="Tạo người mới dù có người trùng họ tên, năm sinh, điện thoại")
    setting: Setting
    kind: ContactKind
    contacted_on: date
    doses: int | None = Field(None, ge=0, le=6, description="Số mũi đã tiêm, khi người chưa có trong sổ tiêm chủng")
    last_dose_on: date | None = None
    cluster_id: int | None = None


class ContactCreateOut(ContactOut):
    created: bool = Field(description="false: người này đã được ghi cho nguồn này, trả lại bản ghi đang theo dõi")
    plan_reasons: list[str]


@router.post("", response={201: ContactCreateOut, 200: ContactCreateOut}, summary="Ghi F1 hoặc F2")
def contact_create_api(request: HttpRequest, payload: ContactCreateIn) -> HttpStatus[Any]:
    user = require_perm(request, Perm.CONTACT_EDIT)
    if (payload.source_case_id is None) == (payload.source_contact_id is None):
        raise ValidationError({"source_case_id": _("Gửi đúng một trong hai: source_case_id hoặc source_contact_id.")})
    if (payload.person_id is None) == (payload.person is None):
        raise ValidationError({"person": _("Gửi đúng một trong hai: person_id hoặc person.")})
    source: dict[str, Any] = {}
    if payload.source_case_id is not None:
        source["source_case"] = case_for_user(user, payload.source_case_id)
    else:
        source["source_contact"] = contact_for_user(user, payload.source_contact_id)  # type: ignore[arg-type]
    person = person_data = None
    if payload.person_id is not None:
        person = person_for_user(user, payload.person_id)
    else:
        assert payload.person is not None
        person_data, _warnings = person_data_from(user=user, payload=payload.person)
        person = person_match_from(user=user, data=person_data, new_person=payload.new_person).person
    cluster = cluster_for_user(user, payload.cluster_id) if payload.cluster_id else None
    contact, created = contact_record(
        actor=user, person=person, person_data=person_data, setting=payload.setting, kind=payload.kind,
        contacted_on=payload.contacted_on, doses=payload.doses, last_dose_on=payload.last_dose_on, cluster=cluster,
        **source,
    )  # fmt: skip
    contact = contact_for_user(user, contact.pk)
    contact.created = created  # type: ignore[attr-defined]
    return HttpStatus(201 if created else 200, contact)


# --- checks and tests --------------------------------------------------------------------------------


class ContactCheckOut(Schema):
    id: int
    checked_on: date
    symptoms: list[str]
    temperature: Decimal | None
    note: str
    suspected: bool
    verdict: str
    rule_set: str


class ContactCheckIn(Schema):
    checked_on: date
    symptoms: list[str] = Field(default_factory=list, description="Mã triệu chứng của quy định f1_symptoms")
    temperature: float | None = None
    note: str = Field("", max_length=500)


@router.get("/{int:contact_id}/checks", response=list[ContactCheckOut], summary="Các lần kiểm tra sức khỏe")
def contact_checks_api(request: HttpRequest, contact_id: int) -> object:
    return contact_for_user(require_perm(request, Perm.CASE_VIEW), contact_id).checks.all()


@router.post("/{int:contact_id}/checks", response={201: ContactCheckOut}, summary="Ghi kiểm tra sức khỏe")
def contact_check_create_api(
    request: HttpRequest, contact_id: int, payload: ContactCheckIn
) -> HttpStatus[ContactCheck]:
    user = require_perm(request, Perm.CONTACT_EDIT)
    contact = contact_for_user(user, contact_id)
    check = contact_check_record(
        actor=user, contact=contact, checked_on=payload.checked_on, symptoms=payload.symptoms,
        temperature=payload.temperature, note=payload.note,
    )  # fmt: skip
    return HttpStatus(201, check)


class ContactTestOut(Schema):
    id: int
    tested_on: date
    kind: TestKind
    positive: bool
    note: str


class ContactTestIn(Schema):
    tested_on: date
    kind: TestKind
    positive: bool
    note: str = Field("", max_length=500)


@router.get("/{int:contact_id}/tests", response=list[ContactTestOut], summary="Các kết quả xét nghiệm")
def contact_tests_api(request: HttpRequest, contact_id: int) -> object:
    return contact_for_user(require_perm(request, Perm.CASE_VIEW), contact_id).tests.all()


@router.post("/{int:contact_id}/tests", response={201: ContactTestOut}, summary="Ghi kết quả xét nghiệm")
def contact_test_create_api(request: HttpRequest, contact_id: int, payload: ContactTestIn) -> HttpStatus[ContactTest]:
    user = require_perm(request, Perm.CONTACT_EDIT)
    contact = contact_for_user(user, contact_id)
    test = contact_test_record(actor=user, contact=contact, **payload.dict())
    return HttpStatus(201, test)


class ContactConvertIn(Schema):
    expected_version: int


class ContactConvertOut(Schema):
    case_id: int
    code: str
    confirmed_on: date


@router.post("/{int:contact_id}/convert", response={201: ContactConvertOut}, summary="Chuyển F1 thành F0")
def contact_convert_api(request: HttpRequest, contact_id: int, payload: ContactConvertIn) -> HttpStatus[dict]:
    user = require_perm(request, Perm.CONTACT_EDIT)
    check_perm(user, Perm.CASE_EDIT)
    contact = contact_for_user(user, contact_id)
    case = contact_convert_to_case(actor=user, contact=contact, expected_version=payload.expected_version)
    return HttpStatus(201, {"case_id": case.pk, "code": case.code, "confirmed_on": case.confirmed_on})


# --- the tree and the what-if plan -------------------------------------------------------------------


class TreeNodeOut(Schema):
    key: str
    kind: str
    label: str
    code: str
    day: date
    status: str
    status_label: str
    visible: bool
    depth: int


class TreeEdgeOut(Schema):
    source: str
    target: str
    contacted_on: date
    setting: str


class TreeOut(Schema):
    nodes: list[TreeNodeOut]
    edges: list[TreeEdgeOut]


@router.get("/tree", response=TreeOut, summary="Chuỗi lây nhiễm của một F0 hoặc một ổ dịch")
def tree_api(request: HttpRequest, case: int | None = None, cluster: int | None = None) -> object:
    user = require_perm(request, Perm.CASE_VIEW)
    if (case is None) == (cluster is None):
        raise ValidationError({"case": _("Gửi đúng một trong hai: case hoặc cluster.")})
    return transmission_tree(user=user, case=case, cluster=cluster)


class QuarantinePlanIn(Schema):
    contacted_on: date
    doses: int | None = Field(None, ge=0, le=6)
    last_dose_on: date | None = None
    recovered_on: date | None = Field(None, description="Ngày khỏi bệnh (hoặc dương tính) lần trước")


class QuarantinePlanOut(Schema):
    quarantine_until: date | None
    test_days: list[date]
    monitor_until: date
    test_when_symptomatic: bool
    fully_vaccinated: bool | None
    rule_set: str
    rule_label: str
    reasons: list[str]


@router.post("/quarantine-plan", response=QuarantinePlanOut, summary="Thử tính kế hoạch cách ly (không lưu)")
def quarantine_plan_api(request: HttpRequest, payload: QuarantinePlanIn) -> dict:
    require_perm(request, Perm.CASE_VIEW)
    if payload.last_dose_on and payload.last_dose_on > payload.contacted_on:
        raise ValidationError({"last_dose_on": _("Ngày tiêm mũi gần nhất sau ngày tiếp xúc.")})
    vaccinated = fully_vaccinated(doses=payload.doses, last_dose_on=payload.last_dose_on, on=payload.contacted_on)
    try:
        plan = quarantine_plan(
            contact_on=payload.contacted_on, fully_vaccinated=vaccinated, recovered_on=payload.recovered_on
        )
    except NoRuleInForce:
        raise ValidationError(
            {"contacted_on": _("Chưa có quy định cách ly F1 cho ngày tiếp xúc trước 14/07/2021 (CV 5599/BYT-MT).")}
        ) from None
    return {
        **plan.__dict__,
        "test_days": list(plan.test_days),
        "reasons": list(plan.reasons),
        "fully_vaccinated": vaccinated,
    }
