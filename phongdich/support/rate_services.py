"""Writes of allowance rates: add, correct while unused, close, replace from a date, and seed from data/.

A rate that an entitlement uses is history: its amount and dates can no longer change in place. It is closed
on the day before a change and a new row (pointing back with `replaces`) carries the new amount, so every
entitlement still shows the rate and document it was computed from. Every change is audited.
"""

import json
import uuid
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from phongdich.accounts.models import User
from phongdich.accounts.roles import Perm
from phongdich.audit.models import Event
from phongdich.audit.services import audit_record, diff
from phongdich.support.amounts import DATA_DIR
from phongdich.support.models import AllowanceRate, Beneficiary, Unit
from phongdich.vntext import nfc

MAX_AMOUNT = 100_000_000


@dataclass
class RateData:
    name: str
    beneficiary: str
    unit: str
    amount: int
    valid_from: date
    valid_to: date | None
    document: str
    source: str = ""
    notes: str = ""


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def _check_actor(actor: User | None) -> None:
    if actor is not None and not actor.has_perm_code(Perm.CONFIG_EDIT):
        raise ValidationError(_("Chỉ quản trị thành phố được sửa mức hỗ trợ."))


def check_rate(data: RateData) -> None:
    errors: dict[str, str] = {}
    if not data.name:
        errors["name"] = _("Tên chế độ không được để trống.")
    if data.beneficiary not in Beneficiary.values:
        errors["beneficiary"] = _("Đối tượng không hợp lệ.")
    if data.unit not in Unit.values:
        errors["unit"] = _("Đơn vị tính không hợp lệ.")
    if not 0 < data.amount <= MAX_AMOUNT:
        errors["amount"] = _("Mức hỗ trợ phải lớn hơn 0 và không quá %(max)s đồng.") % {"max": f"{MAX_AMOUNT:,}"}
    if data.valid_to is not None and data.valid_to < data.valid_from:
        errors["valid_to"] = _("Ngày hết áp dụng phải từ ngày %(day)s trở đi.") % {"day": _day(data.valid_from)}
    if not data.document:
        errors["document"] = _("Cần ghi văn bản quy định mức này (số, ngày).")
    if errors:
        raise ValidationError(errors)


def _clean(data: RateData) -> RateData:
    values = asdict(data)
    for field in ("name", "document", "notes"):
        values[field] = nfc(values[field] or "")
    values["source"] = (values["source"] or "").strip()
    return RateData(**values)


def _last_used_day(rate: AllowanceRate) -> date | None:
    return rate.entitlements.filter(cancelled_at__isnull=True).aggregate(last=Max("end_on"))["last"]


@transaction.atomic
def rate_create(
    *, actor: User | None, data: RateData, code: str = "", replaces: AllowanceRate | None = None
) -> AllowanceRate:
    _check_actor(actor)
    data = _clean(data)
    check_rate(data)
    code = code or f"{data.beneficiary}-{data.valid_from:%Y%m%d}-{uuid.uuid4().hex[:6]}".replace("_", "-")
    rate = AllowanceRate.objects.create(code=code, replaces=replaces, **asdict(data))
    audit_record(
        actor=actor, event=Event.CREATE, target_type="allowance_rate", target_id=rate.pk, area=None,
        changes={"code": code, "replaces": replaces, **asdict(data)},
    )  # fmt: skip
    return rate


@transaction.atomic
def rate_update(*, actor: User, rate: AllowanceRate, data: RateData) -> AllowanceRate:
    """Correct a rate nobody has used yet; once used it can only be closed and replaced."""
    _check_actor(actor)
    rate = AllowanceRate.objects.select_for_update().get(pk=rate.pk)
    used = rate.entitlements.count()
    if used:
        raise ValidationError(
            {"amount": _("Mức này đã dùng cho %(n)d khoản được hưởng: không sửa được, chỉ có thể đóng và thay bằng "
                         "mức mới từ một ngày.") % {"n": used}}
        )  # fmt: skip
    data = _clean(data)
    check_rate(data)
    changes = diff(rate, asdict(data))
    for field, value in asdict(data).items():
        setattr(rate, field, value)
    rate.save()
    audit_record(
        actor=actor, event=Event.UPDATE, target_type="allowance_rate", target_id=rate.pk, area=None, changes=changes
    )
    return rate


def _check_close(rate: AllowanceRate, valid_to: date, field: str) -> None:
    if valid_to < rate.valid_from:
        raise ValidationError(
            {field: _("Ngày hết áp dụng phải từ ngày %(day)s trở đi.") % {"day": _day(rate.valid_from)}}
        )
    last = _last_used_day(rate)
    if last is not None and valid_to < last:
        raise ValidationError(
            {field: _("Đã có khoản được hưởng theo mức này đến hết ngày %(day)s: không thể đóng mức trước ngày đó.")
                    % {"day": _day(last)}}
        )  # fmt: skip


@transaction.atomic
def rate_close(*, actor: User, rate: AllowanceRate, valid_to: date) -> AllowanceRate:
    _check_actor(actor)
    rate = AllowanceRate.objects.select_for_update().get(pk=rate.pk)
    _check_close(rate, valid_to, "valid_to")
    changes = diff(rate, {"valid_to": valid_to})
    rate.valid_to = valid_to
    rate.save(update_fields=["valid_to"])
    audit_record(
        actor=actor, event=Event.UPDATE, target_type="allowance_rate", target_id=rate.pk, area=None, changes=changes
    )
    return rate


@transaction.atomic
def rate_replace(*, actor: User, rate: AllowanceRate, data: RateData) -> AllowanceRate:
    """Close `rate` on the day before `data.valid_from` and add the new rate for the same people from that day."""
    _check_actor(actor)
    rate = AllowanceRate.objects.select_for_update().get(pk=rate.pk)
    if data.beneficiary != rate.beneficiary:
        raise ValidationError({"beneficiary": _("Mức thay thế phải cho cùng đối tượng với mức cũ.")})
    if data.valid_from <= rate.valid_from:
        raise ValidationError(
            {"valid_from": _("Mức mới phải áp dụng sau ngày %(day)s (ngày bắt đầu của mức cũ).")
                           % {"day": _day(rate.valid_from)}}
        )  # fmt: skip
    if rate.valid_to is not None and data.valid_from > rate.valid_to + timedelta(days=1):
        raise ValidationError(
            {"valid_from": _("Mức cũ đã hết áp dụng sau ngày %(day)s; hãy thêm mức mới thay vì thay thế.")
                           % {"day": _day(rate.valid_to)}}
        )  # fmt: skip
    _check_close(rate, data.valid_from - timedelta(days=1), "valid_from")
    rate_close(actor=actor, rate=rate, valid_to=data.valid_from - timedelta(days=1))
    return rate_create(actor=actor, data=data, replaces=rate)


def rates_seed() -> tuple[int, int]:
    """Load data/allowance_rates.json: add the rates whose code is missing, never touch existing rows."""
    with (DATA_DIR / "allowance_rates.json").open(encoding="utf-8") as f:
        rows = json.load(f)["rates"]
    existing = set(AllowanceRate.objects.filter(code__in=[r["code"] for r in rows]).values_list("code", flat=True))
    created = 0
    for row in rows:
        if row["code"] in existing:
            continue
        data = RateData(
            name=row["name"], beneficiary=row["beneficiary"], unit=row["unit"], amount=int(row["amount"]),
            valid_from=date.fromisoformat(row["valid_from"]),
            valid_to=date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
            document=row["document"], source=row.get("source", ""), notes=row.get("notes", ""),
        )  # fmt: skip
        rate_create(actor=None, data=data, code=row["code"])
        created += 1
    return created, len(existing)
