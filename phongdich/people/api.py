"""The persons API: search and list within the user's area, one person, register a person.

Schemas are per handler (`<Handler>In` / `<Handler>Out`) and uniquely named, because ninja keys
OpenAPI components by class name: two nested classes both called `Output` would overwrite each other.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from phongdich.accounts.api_auth import require_perm
from phongdich.accounts.models import User
from phongdich.accounts.roles import Perm
from phongdich.areas.models import Area
from phongdich.areas.selectors import districts_visible_to, wards_visible_to
from phongdich.people.identity import (
    InvalidValue,
    national_id_conflicts,
    parse_birth,
    parse_national_id,
    parse_phone,
    parse_sex,
)
from phongdich.people.models import Condition, Person
from phongdich.people.selectors import (
    RegistrationMatch,
    person_for_user,
    person_match_for_registration,
    person_search,
    persons_visible_to,
)
from phongdich.people.services import PersonData, person_create

router = Router(tags=["persons"])
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class WardOut(Schema):
    """A ward with its district, by GSO code."""

    code: str
    name: str
    district_code: str
    district_name: str

    @staticmethod
    def resolve_district_code(ward: Area) -> str:
        return ward.parent.code if ward.parent else ""

    @staticmethod
    def resolve_district_name(ward: Area) -> str:
        return ward.parent.name if ward.parent else ""


def ward_by_code(*, user: User, code: str, field: str) -> Area:
    """The ward with this GSO code inside the user's area; 422 otherwise (codes are public, not scoped data)."""
    ward = wards_visible_to(user.area).filter(code=code.strip().zfill(5)).first() if user.area else None
    if ward is None:
        raise ValidationError({field: _("Không có phường/xã mã “%(code)s” trong địa bàn của bạn.") % {"code": code}})
    return ward


def district_by_code(*, user: User, code: str, field: str) -> Area:
    """The district with this GSO code inside the user's area; 422 otherwise."""
    district = districts_visible_to(user.area).filter(code=code.strip().zfill(3)).first() if user.area else None
    if district is None:
        raise ValidationError({field: _("Không có quận/huyện mã “%(code)s” trong địa bàn của bạn.") % {"code": code}})
    return district


# --- GET /persons ------------------------------------------------------------------------------


class PersonListFilters(Schema):
    q: str = Field("", description="Họ tên (có hoặc không dấu), số điện thoại hoặc CCCD/CMND")


class PersonListOut(Schema):
    id: int
    full_name: str
    birth_year: int | None
    sex: str
    ward: WardOut | None


@router.get("", response=list[PersonListOut], summary="Tra cứu người trong địa bàn")
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def person_list(request: HttpRequest, filters: Query[PersonListFilters]) -> object:
    """Without `q`, everyone in the area, newest first; with `q`, the best matches of person_search."""
    user = require_perm(request, Perm.PERSON_VIEW)
    if filters.q.strip():
        return person_search(user=user, query=filters.q)
    return persons_visible_to(user).select_related("ward__parent").order_by("-id")


# --- GET /persons/{id} -------------------------------------------------------------------------


class PersonDetailOut(Schema):
    id: int
    full_name: str
    birth_date: date | None
    birth_year: int | None
    sex: str
    national_id: str | None
    phone: str
    address: str
    ward: WardOut | None
    pregnant: bool
    conditions: list[str] = Field(description="Mã bệnh nền")
    created_at: datetime

    @staticmethod
    def resolve_conditions(person: Person) -> list[str]:
        return [c.code for c in person.conditions.all()]


@router.get("/{int:person_id}", response=PersonDetailOut, summary="Một người")
def person_detail(request: HttpRequest, person_id: int) -> Person:
    user = require_perm(request, Perm.PERSON_VIEW)
    return person_for_user(user, person_id)


# --- POST /persons -----------------------------------------------------------------------------


class PersonCreateIn(Schema):
    full_name: str = Field(min_length=1, max_length=100)
    birth: str | int | None = Field(None, description="Ngày sinh (dd/mm/yyyy hoặc yyyy-mm-dd) hoặc năm sinh")
    sex: str = Field("", description="Nam / Nữ (hoặc M / F)")
    national_id: str | None = Field(None, description="CCCD 12 số hoặc CMND 9 số")
    phone: str = ""
    address: str = Field("", max_length=255)
    ward_code: str = Field(description="Mã GSO của phường/xã nơi ở")
    pregnant: bool = False
    conditions: list[str] = Field(default_factory=list, description="Mã bệnh nền")


class PersonCreateOut(PersonDetailOut):
    warnings: list[str] = Field(description="Điểm cần xem lại, ví dụ CCCD không khớp năm sinh")


def person_data_from(*, user: User, payload: PersonCreateIn) -> tuple[PersonData, list[str]]:
    """Parse the identity fields with people.identity; every field's error at once, as a 422."""
    errors: dict[str, str] = {}
    values: dict[str, object] = {}
    parsers = {
        "birth": lambda raw: parse_birth(raw) if raw not in (None, "") else (None, None),
        "sex": parse_sex,
        "national_id": lambda raw: parse_national_id(raw) if raw else None,
        "phone": lambda raw: parse_phone(raw) if raw.strip() else "",
    }
    for name, parse in parsers.items():
        try:
            values[name] = parse(getattr(payload, name))
        except InvalidValue as error:
            errors[name] = str(error)
    ward = None
    try:
        ward = ward_by_code(user=user, code=payload.ward_code, field="ward_code")
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    conditions = list(Condition.objects.filter(code__in=payload.conditions))
    unknown = sorted(set(payload.conditions) - {c.code for c in conditions})
    if unknown:
        errors["conditions"] = _("Không có bệnh nền mã: %(codes)s.") % {"codes": ", ".join(unknown)}
    if errors:
        raise ValidationError(errors)
    birth_date, birth_year = values["birth"]  # type: ignore[misc]
    data = PersonData(
        full_name=payload.full_name,
        birth_date=birth_date,
        birth_year=birth_year,
        sex=values["sex"],  # type: ignore[arg-type]
        national_id=values["national_id"],  # type: ignore[arg-type]
        phone=values["phone"],  # type: ignore[arg-type]
        address=payload.address,
        ward=ward,
        pregnant=payload.pregnant,
        conditions=conditions,
    )
    warning = national_id_conflicts(data.national_id, birth_year=birth_year, sex=data.sex) if data.national_id else None
    return data, [warning] if warning else []


def person_match_from(*, user: User, data: PersonData, new_person: bool) -> RegistrationMatch:
    """The registration page's matching for an API record about a new person: the same CCCD/CMND reuses that person;
    probable duplicates must be resolved by the caller (send person_id, or new_person=true), else a 422."""
    match = person_match_for_registration(
        user=user, national_id=data.national_id, full_name=data.full_name, birth_year=data.birth_year,
        phone=data.phone, choice="new" if new_person else "",
    )  # fmt: skip
    if match.candidates:
        ids = ", ".join(str(p.pk) for p in match.candidates)
        raise ValidationError(
            {"person": _("Có người trùng họ tên, năm sinh và số điện thoại (mã người: %(ids)s); gửi person_id "
                         "để dùng người đó, hoặc new_person=true để tạo người mới.") % {"ids": ids}}
        )  # fmt: skip
    return match


@router.post("", response={201: PersonCreateOut}, summary="Đăng ký một người")
def person_create_api(request: HttpRequest, payload: PersonCreateIn) -> Status[Person]:
    user = require_perm(request, Perm.PERSON_EDIT)
    data, warnings = person_data_from(user=user, payload=payload)
    person = person_create(actor=user, data=data)
    person.warnings = warnings  # type: ignore[attr-defined]
    return Status(201, person)
