"""The care API: facilities with free beds, moving an F0, dispensing a package, stock balances.

Schemas are per handler and uniquely named (see people/api.py for why).
"""

from datetime import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as HttpStatus

from phongdich.accounts.api_auth import require_perm
from phongdich.accounts.models import User
from phongdich.accounts.roles import Perm
from phongdich.care.models import Dispensing, Facility, Stock, Transfer
from phongdich.care.selectors import (
    facility_districts,
    facility_for_transfer,
    facility_list,
    prescriber_choices,
    stock_for_user,
)
from phongdich.care.services import FacilityFull, case_discharge_home, case_transfer, medicine_dispense
from phongdich.cases.selectors import case_for_user

router = Router(tags=["care"])


# --- GET /facilities -------------------------------------------------------------------------------


class FacilityFilters(Schema):
    tier: Literal[1, 2, 3] | None = None
    district: str | None = Field(None, description="Mã GSO quận/huyện")


class FacilityOut(Schema):
    id: int
    code: str
    name: str
    tier: int
    district_code: str = Field(..., alias="district.code")
    district_name: str = Field(..., alias="district.name")
    address: str
    lat: float | None
    lon: float | None
    beds: int
    occupied: int
    free_beds: int
    icu_beds: int
    icu_occupied: int
    active: bool


@router.get("/facilities", response=list[FacilityOut], summary="Cơ sở điều trị của thành phố, số giường trống")
def facility_list_api(request: HttpRequest, filters: Query[FacilityFilters]) -> list[Facility]:
    user: User = request.auth  # type: ignore[attr-defined]
    district_id = None
    if filters.district:
        district = facility_districts(user).filter(code=filters.district.strip().zfill(3)).first()
        if district is None:
            raise ValidationError(
                {"district": _("Không có quận/huyện mã “%(code)s” trong thành phố.") % {"code": filters.district}}
            )
        district_id = district.pk
    return list(facility_list(user=user, tier=filters.tier, district_id=district_id))


# --- POST /cases/{id}/transfer --------------------------------------------------------------------


class TransferIn(Schema):
    facility_id: int | None = Field(..., description="Cơ sở chuyển đến; null = ra viện, về nhà")
    reason: str
    expected_version: int | None = Field(
        None, description="Phiên bản F0 đã đọc (version); khác hiện tại thì bị từ chối"
    )


class TransferOut(Schema):
    id: int
    kind: str
    from_facility_id: int | None
    to_facility_id: int | None
    at: datetime
    reason: str
    case_version: int


class NearbyOut(Schema):
    id: int
    name: str
    tier: int
    free_beds: int
    distance_km: float | None


class FacilityFullOut(Schema):
    detail: str
    suggestions: list[NearbyOut]


@router.post(
    "/cases/{int:case_id}/transfer",
    response={201: TransferOut, 422: FacilityFullOut},
    summary="Chuyển F0 vào cơ sở, chuyển tầng, hoặc ra viện về nhà",
)
def case_transfer_api(request: HttpRequest, case_id: int, payload: TransferIn) -> HttpStatus[object]:
    user = require_perm(request, Perm.CASE_TRANSFER)
    case = case_for_user(user, case_id)
    if payload.facility_id is None:
        transfer = case_discharge_home(
            actor=user, case=case, reason=payload.reason, expected_version=payload.expected_version
        )
        return HttpStatus(201, transfer)
    facility = facility_for_transfer(user, payload.facility_id)
    if facility is None:
        raise ValidationError({"facility_id": _("Không có cơ sở điều trị mã số %(id)s.") % {"id": payload.facility_id}})
    try:
        transfer: Transfer = case_transfer(
            actor=user, case=case, facility=facility, reason=payload.reason, expected_version=payload.expected_version
        )
    except FacilityFull as full:
        suggestions = [
            {"id": s.facility.pk, "name": s.facility.name, "tier": s.facility.tier, "free_beds": s.free_beds,
             "distance_km": round(s.distance_km, 1) if s.distance_km is not None else None}
            for s in full.suggestions
        ]  # fmt: skip
        return HttpStatus(422, {"detail": " ".join(full.messages), "suggestions": suggestions})
    return HttpStatus(201, transfer)


# --- POST /cases/{id}/dispense --------------------------------------------------------------------


class DispenseIn(Schema):
    package: Literal["A", "B", "C"]
    prescribed_by_id: int | None = Field(None, description="Bác sĩ kê đơn (bắt buộc với túi B)")
    consent_signed: bool = Field(False, description="F0 đã ký cam kết đồng ý (bắt buộc với túi C)")
    note: str = ""


class DispensingOut(Schema):
    id: int
    package: str
    rule_set: str
    dispensed_at: datetime
    from_area_code: str = Field(..., alias="from_area.code")
    prescribed_by_id: int | None
    consent_signed: bool
    note: str


@router.post("/cases/{int:case_id}/dispense", response={201: DispensingOut}, summary="Cấp một túi thuốc cho F0")
def case_dispense_api(request: HttpRequest, case_id: int, payload: DispenseIn) -> HttpStatus[Dispensing]:
    user = require_perm(request, Perm.MEDICINE_DISPENSE)
    case = case_for_user(user, case_id)
    doctor = None
    if payload.prescribed_by_id is not None:
        doctor = prescriber_choices(case).filter(pk=payload.prescribed_by_id).first()
        if doctor is None:
            raise ValidationError({"prescribed_by_id": _("Người kê đơn phải là bác sĩ phụ trách địa bàn của F0.")})
    dispensing = medicine_dispense(
        actor=user, case=case, package=payload.package, prescribed_by=doctor, consent_signed=payload.consent_signed,
        note=payload.note,
    )  # fmt: skip
    return HttpStatus(201, dispensing)


# --- GET /stock ------------------------------------------------------------------------------------


class StockOut(Schema):
    area_code: str = Field(..., alias="area.code")
    area_name: str = Field(..., alias="area.name")
    package: str
    balance: int
    received: int
    dispensed: int
    adjusted: int


@router.get("/stock", response=list[StockOut], summary="Tồn kho túi thuốc theo trạm y tế và quận/huyện")
def stock_list_api(request: HttpRequest) -> list[Stock]:
    user: User = request.auth  # type: ignore[attr-defined]
    return list(stock_for_user(user))
