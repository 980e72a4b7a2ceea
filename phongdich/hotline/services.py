"""Writes of the hotline: taking a request, moving it through the workflow, escalating overdue ones, deadlines."""

import json
import random
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.accounts.models import User
from phongdich.accounts.roles import Perm
from phongdich.areas.models import Area, Level
from phongdich.areas.scoping import area_covers_ward
from phongdich.audit.models import AuditLog, Event
from phongdich.audit.services import audit_entry, audit_record
from phongdich.hotline import conf
from phongdich.hotline.models import OPEN, Channel, EventKind, Request, RequestCategory, RequestEvent, Status
from phongdich.hotline.routing import province, ward_from_address
from phongdich.hotline.workflow import REOPENED_FROM, transition_allowed
from phongdich.people.identity import InvalidValue, parse_phone
from phongdich.reports.tallies import tallies_touch
from phongdich.vntext import nfc

# No 0/O, 1/I: a code read aloud over a bad line or copied from a note is not mistaken.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 8
ANSWER_MAX_CHARS = 4000


def request_code(rng: random.Random | None = None) -> str:
    """A new random code; `rng` (seeded) makes the demo data's codes the same on every run."""
    if rng is None:
        return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
    return "".join(rng.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    """What a caller types ("abcd-2345 ", "ABCD 2345") → "ABCD2345"."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def _clean_contact(*, caller_phone: str, caller_name: str, caller_address: str) -> tuple[str, str, str]:
    errors: dict[str, str] = {}
    phone = ""
    if caller_phone.strip():
        try:
            phone = parse_phone(caller_phone)
        except InvalidValue as error:
            errors["caller_phone"] = _("Số điện thoại người gửi: %(reason)s") % {"reason": error}
    name, address = nfc(caller_name), nfc(caller_address)
    if len(name) > 120:
        errors["caller_name"] = _("Tên người gửi dài quá 120 ký tự.")
    if len(address) > 300:
        errors["caller_address"] = _("Địa chỉ dài quá 300 ký tự.")
    if not errors and not phone and not address:
        errors["caller_phone"] = _("Cần số điện thoại hoặc địa chỉ để liên hệ lại người gửi.")
    if errors:
        raise ValidationError(errors)
    return phone, name, address


def _route(*, actor: User | None, ward: Area | None, address: str) -> Area:
    if ward is None:
        found = ward_from_address(address)
        if found.ward is None:
            raise ValidationError(
                {"ward": _("Chưa xác định được phường/xã: %(reason)s Hãy chọn phường/xã.") % {"reason": found.problem}}
            )
        ward = found.ward
    if ward.level != Level.WARD or ward.parent is None or ward.parent.parent_id != province().pk:
        raise ValidationError({"ward": _("Hãy chọn một phường/xã của thành phố.")})
    if actor is not None and (actor.area is None or not area_covers_ward(actor.area, ward)):
        raise ValidationError({"ward": _("Phường/xã %(ward)s nằm ngoài địa bàn của bạn.") % {"ward": ward.name}})
    return ward


def _first_of_caller(phone: str, now: datetime) -> Request | None:
    """The caller's first request still open or made within the repeat window: a new one is linked to it."""
    if not phone:
        return None
    since = now - timedelta(days=conf.repeat_days())
    return (
        Request.objects.filter(caller_phone=phone, repeat_of__isnull=True, created_at__lte=now)
        .filter(Q(created_at__gte=since) | Q(status__in=OPEN))
        .order_by("created_at", "id")
        .first()
    )


@transaction.atomic
def request_create(
    *,
    actor: User | None,
    category: RequestCategory,
    channel: str,
    message: str,
    caller_phone: str = "",
    caller_name: str = "",
    caller_address: str = "",
    ward: Area | None = None,
    external_ref: str | None = None,
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> Request:
    """Take a request: validate the contact, route it to a ward, fix its due time, link it to the caller's earlier one.

    `actor` is None for the public form and imported messages' system side; `now` is when it was received
    (an imported message's own time), so the deadline runs from when the person asked."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    if not category.active:
        errors["category"] = _("Loại yêu cầu “%(name)s” đã ngừng dùng.") % {"name": category.name}
    if channel not in Channel.values:
        errors["channel"] = _("Kênh tiếp nhận không hợp lệ.")
    text = message.strip()
    if not text:
        errors["message"] = _("Hãy ghi nội dung yêu cầu.")
    elif len(text) > conf.message_max_chars():
        errors["message"] = _("Nội dung dài quá %(n)s ký tự.") % {"n": conf.message_max_chars()}
    if external_ref and Request.objects.filter(external_ref=external_ref).exists():
        errors["external_ref"] = _("Tin nhắn này đã được nhập trước đây.")
    if errors:
        raise ValidationError(errors)
    phone, name, address = _clean_contact(
        caller_phone=caller_phone, caller_name=caller_name, caller_address=caller_address
    )
    ward = _route(actor=actor, ward=ward, address=address)
    code = request_code(rng)
    while Request.objects.filter(code=code).exists():
        code = request_code(rng)
    item = Request.objects.create(
        code=code, category=category, channel=channel, caller_name=name, caller_phone=phone, caller_address=address,
        ward=ward, message=text, created_at=now, created_by=actor, due_at=now + timedelta(minutes=category.deadline_minutes),
        repeat_of=_first_of_caller(phone, now), external_ref=external_ref or None,
    )  # fmt: skip
    RequestEvent.objects.create(request=item, kind=EventKind.CREATED, at=now, actor=actor, to_status=Status.NEW)
    tallies_touch(request=item, created=True)
    audit_record(
        actor=actor, event=Event.CREATE, target_type="request", target_id=item.pk, area=ward,
        changes={"code": code, "category": category.code, "channel": channel, "due_at": item.due_at},
        extra={"repeat_of": item.repeat_of_id} if item.repeat_of_id else None,
    )  # fmt: skip
    return item


# --- the workflow -------------------------------------------------------------------------------


def _check_handler(*, actor: User, item: Request) -> None:
    if (
        not actor.has_perm_code(Perm.REQUEST_HANDLE)
        or actor.area is None
        or not area_covers_ward(actor.area, item.ward)
    ):
        raise ValidationError(_("Yêu cầu này không thuộc địa bàn hoặc quyền xử lý của bạn."))


def _check_assignee(*, assignee: User | None, item: Request) -> User:
    if assignee is None:
        raise ValidationError({"assigned_to": _("Hãy chọn người được giao.")})
    if not assignee.has_perm_code(Perm.REQUEST_HANDLE) or not area_covers_ward(assignee.area, item.ward):
        raise ValidationError(
            {"assigned_to": _("%(name)s không xử lý được yêu cầu của %(ward)s.") % {
                "name": assignee.get_full_name() or assignee.username, "ward": item.ward.name}}
        )  # fmt: skip
    return assignee


def _stale(item: Request) -> ValidationError:
    current = Request.objects.filter(pk=item.pk).first()
    label = Status(current.status).label if current else "?"
    return ValidationError(
        {"version": _("Yêu cầu %(code)s vừa được người khác cập nhật (hiện: %(status)s). Tải lại trang để xem.")
         % {"code": item.code, "status": label}}
    )  # fmt: skip


@transaction.atomic
def request_transition(
    *,
    actor: User,
    item: Request,
    to_status: str,
    version: int,
    note: str = "",
    assignee: User | None = None,
    answer: str = "",
    transferred_to: str = "",
    now: datetime | None = None,
) -> Request:
    """Move a request to `to_status` if the workflow allows it and nobody changed it since `version` was read."""
    _check_handler(actor=actor, item=item)
    now = now or timezone.now()
    if not transition_allowed(item.status, to_status):
        raise ValidationError(
            {"status": _("Không thể chuyển yêu cầu từ “%(from)s” sang “%(to)s”.")
             % {"from": Status(item.status).label, "to": Status(to_status).label if to_status in Status.values else to_status}}
        )  # fmt: skip
    note = note.strip()
    if len(note) > 2000:
        raise ValidationError({"note": _("Ghi chú dài quá 2.000 ký tự.")})
    values: dict[str, object] = {"status": to_status}
    if to_status == Status.ASSIGNED:
        values["assigned_to"] = _check_assignee(assignee=assignee, item=item)
    elif to_status == Status.IN_PROGRESS and item.status in REOPENED_FROM:
        if not note:
            raise ValidationError({"note": _("Hãy ghi lý do mở lại yêu cầu.")})
        if item.answer:
            note = _("%(note)s (Trả lời trước: %(answer)s)") % {"note": note, "answer": item.answer}
        values.update(answered_at=None, answered_by=None, answer="", closed_at=None, transferred_to="")
    elif to_status == Status.IN_PROGRESS:
        values["assigned_to"] = item.assigned_to or actor
    elif to_status == Status.ANSWERED:
        answer = answer.strip()
        if not answer:
            raise ValidationError({"answer": _("Hãy ghi nội dung đã trả lời người gửi.")})
        if len(answer) > ANSWER_MAX_CHARS:
            raise ValidationError({"answer": _("Nội dung trả lời dài quá 4.000 ký tự.")})
        values.update(answered_at=now, answered_by=actor, answer=answer)
    elif to_status == Status.TRANSFERRED:
        transferred_to = nfc(transferred_to)
        if not transferred_to:
            raise ValidationError({"transferred_to": _("Hãy ghi nơi chuyển đến (ví dụ: 115, Sở LĐ-TB&XH).")})
        if len(transferred_to) > 120:
            raise ValidationError({"transferred_to": _("Nơi chuyển đến dài quá 120 ký tự.")})
        values["transferred_to"] = transferred_to
    elif to_status == Status.CLOSED:
        values["closed_at"] = now
    if "answered_at" in values:
        tallies_touch(request=item)
    rows = Request.objects.filter(pk=item.pk, version=version, status=item.status).update(
        **values, version=F("version") + 1
    )
    if not rows:
        raise _stale(item)
    RequestEvent.objects.create(
        request=item,
        kind=EventKind.STATUS,
        at=now,
        actor=actor,
        from_status=item.status,
        to_status=to_status,
        note=note,
    )
    changes = {"status": [item.status, to_status]}
    for field in ("assigned_to", "answered_at", "transferred_to"):
        if field in values:
            changes[field] = [getattr(item, field), values[field]]
    audit_record(
        actor=actor, event=Event.UPDATE, target_type="request", target_id=item.pk, area=item.ward, changes=changes
    )
    item.refresh_from_db()
    return item


@transaction.atomic
def requests_escalate(*, now: datetime | None = None) -> int:
    """Flag requests still unanswered at or after their due time, so that they head the district's "Quá hạn" queue.
    Each one is flagged once; returns how many were flagged now."""
    now = now or timezone.now()
    due = list(
        Request.objects.filter(status__in=OPEN, due_at__lte=now, escalated_at__isnull=True)
        .select_related("ward")
        .only("pk", "status", "ward", "due_at")
    )
    if not due:
        return 0
    count = Request.objects.filter(pk__in=[r.pk for r in due], escalated_at__isnull=True).update(escalated_at=now)
    note = _("Quá hạn trả lời, chuyển lên quận/huyện.")
    RequestEvent.objects.bulk_create(
        RequestEvent(
            request_id=r.pk, kind=EventKind.ESCALATED, at=now, from_status=r.status, to_status=r.status, note=note
        )
        for r in due
    )
    AuditLog.objects.bulk_create(
        audit_entry(actor=None, event=Event.UPDATE, target_type="request", target_id=r.pk, area=r.ward,
                    changes={"escalated_at": [None, now]}, extra={"due_at": r.due_at})
        for r in due
    )  # fmt: skip
    return count


# --- configuration --------------------------------------------------------------------------------

DEADLINE_MAX_MINUTES = 7 * 24 * 60


@transaction.atomic
def category_update(
    *, actor: User, category: RequestCategory, name: str, deadline_minutes: int, active: bool
) -> RequestCategory:
    """Change a category's name, deadline or use (city admin); requests already taken keep their due time."""
    if not actor.has_perm_code(Perm.CONFIG_EDIT):
        raise ValidationError(_("Chỉ quản trị thành phố được sửa thời hạn trả lời."))
    name = nfc(name)
    errors = {}
    if not name or len(name) > 120:
        errors["name"] = _("Tên loại yêu cầu phải có từ 1 đến 120 ký tự.")
    if not 1 <= deadline_minutes <= DEADLINE_MAX_MINUTES:
        errors["deadline_minutes"] = _("Thời hạn trả lời phải từ 1 phút đến 7 ngày (10.080 phút).")
    if errors:
        raise ValidationError(errors)
    new = {"name": name, "deadline_minutes": deadline_minutes, "active": active}
    changes = {k: [getattr(category, k), v] for k, v in new.items() if getattr(category, k) != v}
    if not changes:
        return category
    for key, value in new.items():
        setattr(category, key, value)
    category.save(update_fields=list(new))
    audit_record(
        actor=actor, event=Event.UPDATE, target_type="request_category", target_id=category.pk, area=actor.area,
        changes=changes, extra={"code": category.code},
    )  # fmt: skip
    return category


CATEGORIES_FILE = Path(__file__).resolve().parent / "data" / "categories.json"


def categories_load() -> int:
    """Create the standard categories that are missing (as migration 0002 does); existing rows keep their settings."""
    created = 0
    for row in json.loads(CATEGORIES_FILE.read_text(encoding="utf-8"))["categories"]:
        fields = {k: v for k, v in row.items() if k != "code"}
        created += RequestCategory.objects.get_or_create(code=row["code"], defaults=fields)[1]
    return created
