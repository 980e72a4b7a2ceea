"""The F0 API: list with the UI's filters, one case, register a case (for a known or a new person).

Schemas are per handler and uniquely named (see people/api.py for why).
"""

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as HttpStatus
from ninja.pagination import PageNumberPagination, paginate

from phongdich.accounts.api_auth import check_perm, require_perm
from phongdich.accounts.models import User
from phongdich.accounts.roles import Perm
from phongdich.cases.models import AgeGroup, Case, Source, Status, TestKind
from phongdich.cases.selectors import SORTS, CaseFilters, case_for_user, case_list
from phongdich.cases.services import case_register, case_register_with_person
from phongdich.people.api import (
    PersonCreateIn,
    WardOut,
    district_by_code,
    person_data_from,
    person_match_from,
    ward_by_code,
)
from phongdich.people.selectors import person_for_user

router = Router(tags=["cases"])
PAGE_SIZE = 50
MAX_PAGE_SIZE = 500

CaseSort = Literal[tuple(SORTS)]  # type: ignore[valid-type]


# --- GET /cases --------------------------------------------------------------------------------


class CaseListFilters(Schema):
    status: Status | None = None
    confirmed_from: date | None = None
    confirmed_to: date | None = None
    ward: str | None = Field(None, description="Mã GSO phường/xã quản lý")
    district: str | None = Field(None, description="Mã GSO quận/huyện")
    age_group: AgeGroup | None = None
    high_risk: bool | None = None
    q: str = Field("", description="Mã F0 hoặc họ tên (có hoặc không dấu)")
    sort: CaseSort = "-confirmed_on"  # type: ignore[valid-type]


class CaseListPersonOut(Schema):
    id: int
    full_name: str
    birth_year: int | None
    sex: str


class CaseListOut(Schema):
    id: int
    code: str
    person: CaseListPersonOut
    ward: WardOut
    confirmed_on: date
    status: Status
    age: int | None
    age_group: str
    high_risk: bool


def _case_filters(*, user: User, filters: CaseListFilters) -> CaseFilters:
    ward_id = district_id = None
    if filters.ward:
        ward_id = ward_by_code(user=user, code=filters.ward, field="ward").pk
    if filters.district:
        district_id = district_by_code(user=user, code=filters.district, field="district").pk
    return CaseFilters(
        status=filters.status or "",
        confirmed_from=filters.confirmed_from,
        confirmed_to=filters.confirmed_to,
        district_id=district_id,
        ward_id=ward_id,
        age_group=filters.age_group or "",
        high_risk=filters.high_risk,
        q=filters.q,
        sort=filters.sort,
    )


@router.get("", response=list[CaseListOut], summary="Danh sách F0 trong địa bàn")
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def case_list_api(request: HttpRequest, filters: Query[CaseListFilters]) -> object:
    user = require_perm(request, Perm.CASE_VIEW)
    return case_list(user=user, filters=_case_filters(user=user, filters=filters))


# --- GET /cases/{id} ---------------------------------------------------------------------------


class CaseDetailPersonOut(Schema):
    id: int
    full_name: str
    birth_date: date | None
    birth_year: int | None
    sex: str
    national_id: str | None
    phone: str
    address: str
    pregnant: bool


class CaseDetailOut(Schema):
    id: int
    code: str
    person: CaseDetailPersonOut
    ward: WardOut
    confirmed_on: date
    sampled_on: date | None
    test_kind: TestKind
    source: Source
    status: Status
    age: int | None
    age_group: str
    high_risk: bool
    created_at: datetime


@router.get("/{int:case_id}", response=CaseDetailOut, summary="Một F0")
def case_detail_api(request: HttpRequest, case_id: int) -> Case:
    user = require_perm(request, Perm.CASE_VIEW)
    return case_for_user(user, case_id)


# --- POST /cases -------------------------------------------------------------------------------


class CaseCreateIn(Schema):
    person_id: int | None = Field(None, description="Người đã có trong sổ; hoặc gửi `person`")
    person: PersonCreateIn | None = Field(
        None, description="Người chưa có mã: cùng CCCD/CMND là cùng người, ở đâu cũng vậy; nếu không, xem `new_person`"
    )
    new_person: bool = Field(
        False, description="Tạo người mới dù đã có người trùng họ tên, năm sinh và số điện thoại trong địa bàn"
    )
    ward_code: str | None = Field(None, description="Mã GSO phường/xã quản lý; mặc định là nơi ở của người")
    confirmed_on: date
    sampled_on: date | None = None
    test_kind: TestKind
    source: Source = Source.COMMUNITY


class CaseCreateOut(CaseDetailOut):
    warnings: list[str] = Field(description="Điểm cần xem lại, ví dụ đã dùng người có sẵn cùng CCCD/CMND")


def _register_for_new_person(
    *, user: User, payload: CaseCreateIn, case_values: dict[str, Any]
) -> tuple[Case, list[str]]:
    """The same matching as the registration page: the same CCCD/CMND reuses that person (completed with
    what was sent); probable duplicates must be resolved by the caller (person_id or new_person)."""
    assert payload.person is not None
    check_perm(user, Perm.PERSON_EDIT)
    data, warnings = person_data_from(user=user, payload=payload.person)
    match = person_match_from(user=user, data=data, new_person=payload.new_person)
    if match.by_national_id:
        warnings.append(
            _("CCCD/CMND %(id)s đã có trong sổ (mã người %(pk)d): F0 được ghi cho người này.")
            % {"id": data.national_id, "pk": match.person.pk}  # type: ignore[union-attr]
        )
    case_values.setdefault("ward", data.ward)
    case = case_register_with_person(actor=user, person=match.person, person_data=data, **case_values)
    return case, warnings


@router.post("", response={201: CaseCreateOut}, summary="Đăng ký F0")
def case_create_api(request: HttpRequest, payload: CaseCreateIn) -> HttpStatus[Case]:
    user = require_perm(request, Perm.CASE_EDIT)
    if (payload.person_id is None) == (payload.person is None):
        raise ValidationError({"person": _("Gửi đúng một trong hai: person_id hoặc person.")})
    case_values: dict[str, Any] = {
        "confirmed_on": payload.confirmed_on,
        "sampled_on": payload.sampled_on,
        "test_kind": payload.test_kind,
        "source": payload.source,
    }
    if payload.ward_code:
        case_values["ward"] = ward_by_code(user=user, code=payload.ward_code, field="ward_code")
    warnings: list[str] = []
    if payload.person_id is not None:
        person = person_for_user(user, payload.person_id)
        case_values.setdefault("ward", person.ward)
        if case_values["ward"] is None:
            raise ValidationError({"ward_code": _("Người này chưa có phường/xã nơi ở; hãy gửi ward_code.")})
        case = case_register(actor=user, person=person, **case_values)
    else:
        case, warnings = _register_for_new_person(user=user, payload=payload, case_values=case_values)
    case = case_for_user(user, case.pk)
    case.warnings = warnings  # type: ignore[attr-defined]
    return HttpStatus(201, case)
