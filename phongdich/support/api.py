"""The support API: entitlements with paid and owed per ward, who is still owed by ward, recording and
cancelling payments. Same selectors and services as the pages: 404 outside the area, 403 without
PAYMENT_EDIT for writes, 422 with a Vietnamese `detail` on bad data (overpayment included)."""

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja import Status as HttpStatus
from ninja.pagination import PageNumberPagination, paginate

from phongdich.accounts.api_auth import require_perm
from phongdich.accounts.models import User
from phongdich.accounts.roles import Perm
from phongdich.people.api import district_by_code, ward_by_code
from phongdich.support.models import Payment, PaymentMethod
from phongdich.support.selectors import entitlement_for_user, entitlement_list, owed_by_ward, payment_for_user
from phongdich.support.services import payment_cancel, payment_record

router = Router(tags=["support"])


class EntitlementFilters(Schema):
    ward: str | None = Field(None, description="Mã GSO phường/xã")
    district: str | None = Field(None, description="Mã GSO quận/huyện")
    state: Literal["", "owed", "paid"] = Field("", description="owed: còn nợ; paid: đã trả đủ")


class EntitlementOut(Schema):
    id: int
    full_name: str
    phone: str
    team: str | None = Field(None, alias="team.name")
    unit_name: str
    ward_code: str = Field(..., alias="ward.code")
    ward_name: str = Field(..., alias="ward.name")
    rate_code: str = Field(..., alias="rate.code")
    rate_amount: int
    rate_unit: str
    document: str
    start_on: date
    end_on: date
    days_served: int
    amount: int
    paid: int
    owed: int


def _area_ids(user: User, ward: str | None, district: str | None) -> dict:
    return {
        "ward_id": ward_by_code(user=user, code=ward, field="ward").pk if ward else None,
        "district_id": district_by_code(user=user, code=district, field="district").pk if district else None,
    }


@router.get("/entitlements", response=list[EntitlementOut], summary="Khoản được hưởng: đã trả, còn nợ")
@paginate(PageNumberPagination, page_size=100, max_page_size=500)
def entitlement_list_api(request: HttpRequest, filters: Query[EntitlementFilters]) -> object:
    user: User = request.auth  # type: ignore[attr-defined]
    return entitlement_list(user=user, state=filters.state, **_area_ids(user, filters.ward, filters.district))


class OwedFilters(Schema):
    district: str | None = Field(None, description="Mã GSO quận/huyện")
    order: Literal["owed", "oldest"] = Field("owed", description="owed: nợ nhiều trước; oldest: nợ lâu trước")


class OwedWardOut(Schema):
    ward_code: str
    ward_name: str
    district_name: str
    people: int
    entitlements: int
    owed: int
    oldest_end_on: date


@router.get("/owed", response=list[OwedWardOut], summary="Còn nợ theo phường/xã")
def owed_api(request: HttpRequest, filters: Query[OwedFilters]) -> list[dict]:
    user: User = request.auth  # type: ignore[attr-defined]
    district_id = _area_ids(user, None, filters.district)["district_id"]
    return [
        {"ward_code": w.ward.code, "ward_name": w.ward.name, "district_name": w.ward.parent.name if w.ward.parent else "",
         "people": w.people, "entitlements": w.entitlements, "owed": w.owed, "oldest_end_on": w.oldest}
        for w in owed_by_ward(user=user, district_id=district_id, order=filters.order)
    ]  # fmt: skip


class PaymentIn(Schema):
    amount: int = Field(..., gt=0, description="Số tiền (đồng), không quá số còn nợ")
    paid_on: date
    voucher: str = Field(..., description="Số chứng từ")
    method: PaymentMethod


class PaymentOut(Schema):
    id: int
    entitlement_id: int
    amount: int
    paid_on: date
    voucher: str
    method: str
    recorded_at: datetime
    cancelled_at: datetime | None
    cancel_reason: str
    entitlement_paid: int = Field(..., alias="entitlement.paid")
    entitlement_owed: int = Field(..., alias="entitlement.owed")


@router.post("/entitlements/{int:entitlement_id}/payments", response={201: PaymentOut}, summary="Ghi một lần chi trả")
def payment_record_api(request: HttpRequest, entitlement_id: int, payload: PaymentIn) -> HttpStatus[Payment]:
    user = require_perm(request, Perm.PAYMENT_EDIT)
    entitlement = entitlement_for_user(user, entitlement_id)
    payment = payment_record(
        actor=user, entitlement=entitlement, amount=payload.amount, paid_on=payload.paid_on, voucher=payload.voucher,
        method=payload.method,
    )  # fmt: skip
    return HttpStatus(201, payment)


class CancelIn(Schema):
    reason: str


@router.post("/payments/{int:payment_id}/cancel", response=PaymentOut, summary="Huỷ một lần chi trả (ghi lý do)")
def payment_cancel_api(request: HttpRequest, payment_id: int, payload: CancelIn) -> Payment:
    user = require_perm(request, Perm.PAYMENT_EDIT)
    payment = payment_for_user(user, payment_id)
    return payment_cancel(actor=user, payment=payment, reason=payload.reason)
