"""The requests API: take a request, list the queue, read one, move it through the workflow.

Same selectors and services as the pages: scoping (404), role checks (403), validation (422, Vietnamese detail).
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
from phongdich.areas.models import Area
from phongdich.areas.selectors import wards_visible_to
from phongdich.hotline.models import Channel, Request, RequestCategory
from phongdich.hotline.selectors import RequestFilters, assignable_users, request_for_user, request_queue
from phongdich.hotline.services import request_create, request_transition
from phongdich.hotline.workflow import ACTIONS

router = Router(tags=["hotline"])
MAX_LIMIT = 200


class RequestOut(Schema):
    id: int
    code: str
    category: str = Field(..., alias="category.code")
    channel: str
    status: str
    caller_name: str
    caller_phone: str
    caller_address: str
    ward_code: str = Field(..., alias="ward.code")
    ward_name: str = Field(..., alias="ward.name")
    message: str
    created_at: datetime
    due_at: datetime
    assigned_to_id: int | None
    answered_at: datetime | None
    answered_by_id: int | None
    answer: str
    answered_in_time: bool | None
    transferred_to: str
    escalated_at: datetime | None
    repeat_of_id: int | None
    version: int


class RequestIn(Schema):
    category: str = Field(..., description="Mã loại yêu cầu, ví dụ: food, medical_advice")
    channel: Literal["phone", "web", "zalo", "facebook", "walk_in", "other"] = Channel.PHONE
    message: str
    caller_phone: str = ""
    caller_name: str = ""
    caller_address: str = ""
    ward: str | None = Field(None, description="Mã GSO phường/xã; bỏ trống thì xác định từ địa chỉ")


def _category(code: str) -> RequestCategory:
    category = RequestCategory.objects.filter(code=code.strip()).first()
    if category is None:
        raise ValidationError({"category": _("Không có loại yêu cầu mã “%(code)s”.") % {"code": code}})
    return category


def _ward(user: User, code: str | None) -> Area | None:
    if not code:
        return None
    ward = wards_visible_to(user.area).filter(code=code.strip().zfill(5)).first()  # type: ignore[arg-type]
    if ward is None:
        raise ValidationError({"ward": _("Không có phường/xã mã “%(code)s” trong địa bàn của bạn.") % {"code": code}})
    return ward


@router.post("/", response={201: RequestOut}, summary="Tiếp nhận một yêu cầu của người dân")
def request_create_api(request: HttpRequest, payload: RequestIn) -> HttpStatus[Request]:
    user = require_perm(request, Perm.REQUEST_TAKE)
    item = request_create(
        actor=user, category=_category(payload.category), channel=payload.channel, message=payload.message,
        caller_phone=payload.caller_phone, caller_name=payload.caller_name, caller_address=payload.caller_address,
        ward=_ward(user, payload.ward),
    )  # fmt: skip
    return HttpStatus(201, request_for_user(user, item.pk))


class RequestListFilters(Schema):
    tab: Literal["open", "overdue", "done"] = "open"
    status: str = ""
    category: str | None = None
    channel: str = ""
    ward: str | None = Field(None, description="Mã GSO phường/xã")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


@router.get("/", response=list[RequestOut], summary="Hàng đợi yêu cầu trong địa bàn, theo hạn trả lời")
def request_list_api(request: HttpRequest, filters: Query[RequestListFilters]) -> list[Request]:
    user = require_perm(request, Perm.REQUEST_HANDLE)
    ward = _ward(user, filters.ward)
    queue = request_queue(
        user=user,
        filters=RequestFilters(
            tab=filters.tab, status=filters.status, channel=filters.channel, ward_id=ward.pk if ward else None,
            category_id=_category(filters.category).pk if filters.category else None, mine=False,
        ),
    )  # fmt: skip
    return list(queue[filters.offset : filters.offset + filters.limit])


@router.get("/{int:request_id}", response=RequestOut, summary="Một yêu cầu")
def request_get_api(request: HttpRequest, request_id: int) -> Request:
    user = require_perm(request, Perm.REQUEST_HANDLE)
    return request_for_user(user, request_id)


class TransitionIn(Schema):
    action: Literal["assign", "start", "answer", "close", "transfer", "reopen"]
    version: int = Field(..., description="Phiên bản đã đọc; khác hiện tại thì bị từ chối")
    note: str = ""
    assigned_to_id: int | None = None
    answer: str = ""
    transferred_to: str = ""


@router.post(
    "/{int:request_id}/transition", response=RequestOut, summary="Phân công, nhận, trả lời, đóng, chuyển, mở lại"
)
def request_transition_api(request: HttpRequest, request_id: int, payload: TransitionIn) -> Request:
    user = require_perm(request, Perm.REQUEST_HANDLE)
    item = request_for_user(user, request_id)
    assignee = None
    if payload.assigned_to_id is not None:
        assignee = assignable_users(item).filter(pk=payload.assigned_to_id).first()
        if assignee is None:
            raise ValidationError(
                {"assigned_to": _("Người được giao phải là cán bộ của phường/xã hoặc quận/huyện này.")}
            )
    request_transition(
        actor=user, item=item, to_status=ACTIONS[payload.action], version=payload.version, note=payload.note,
        assignee=assignee, answer=payload.answer, transferred_to=payload.transferred_to,
    )  # fmt: skip
    return request_for_user(user, request_id)
