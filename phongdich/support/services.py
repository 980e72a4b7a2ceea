"""Writes of what the forces are owed and paid: entitlements (one person, one period, one rate) and payments.

Names and phones are personal data and money is at stake, so every write is audited. A payment moves
`Entitlement.paid` in one conditional UPDATE (never past `amount`), so two officers paying the same person
at once cannot together pay more than is owed; a payment is cancelled with a reason, never deleted.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.accounts.models import User
from phongdich.areas.models import Area
from phongdich.areas.scoping import area_contains
from phongdich.audit.models import Event
from phongdich.audit.services import audit_record
from phongdich.people.identity import InvalidValue, parse_phone
from phongdich.support.amounts import entitlement_amount, period_days
from phongdich.support.models import AllowanceRate, Beneficiary, Entitlement, Payment, PaymentMethod, Unit
from phongdich.teams.models import Team, TeamKind, TeamMember
from phongdich.vntext import fold, nfc

# Which rates a team's members may be paid at: the one for their kind of team.
TEAM_BENEFICIARY = {
    TeamKind.COMMUNITY: Beneficiary.COMMUNITY_TEAM,
    TeamKind.HOME_CARE: Beneficiary.HOME_CARE_TEAM,
    TeamKind.MOBILE_STATION: Beneficiary.MOBILE_STATION,
}
MAX_PAYMENT = 1_000_000_000


class AlreadyCovered(ValidationError):
    """The person already has an entitlement at this rate for part of the period."""


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def _money(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _check_ward(*, actor: User, ward: Area) -> None:
    if actor.area is None or not ward.is_ward or not area_contains(actor.area, ward):
        raise ValidationError({"ward": _("Phường/xã phải thuộc địa bàn của bạn.")})


# --- entitlements ----------------------------------------------------------------------------------


def person_key(*, member: TeamMember | None, full_name: str, phone: str) -> str:
    return f"m{member.pk}" if member is not None else f"n:{fold(full_name)}:{phone}"[:140]


@dataclass
class Period:
    start_on: date
    end_on: date
    days_served: int


def check_period(*, rate: AllowanceRate, start_on: date, end_on: date, days_served: int | None, today: date) -> Period:
    """The period and its days, or every reason it cannot be paid at `rate`, by field."""
    errors: dict[str, str] = {}
    if end_on < start_on:
        errors["end_on"] = _("Ngày kết thúc phải từ ngày bắt đầu (%(day)s) trở đi.") % {"day": _day(start_on)}
    elif end_on > today:
        errors["end_on"] = _("Chỉ lập khoản cho thời gian đã làm nhiệm vụ: ngày kết thúc không được sau hôm nay.")
    if start_on < rate.valid_from:
        errors["start_on"] = _("Mức “%(rate)s” chỉ áp dụng từ ngày %(day)s.") % {
            "rate": rate.name,
            "day": _day(rate.valid_from),
        }
    elif rate.valid_to is not None and end_on > rate.valid_to and "end_on" not in errors:
        # A period across a rate change is refused, not split silently: each part is its own entitlement.
        errors["end_on"] = _(
            "Mức “%(rate)s” hết áp dụng sau ngày %(last)s. Thời gian qua ngày đổi mức phải lập thành hai khoản: "
            "đến hết %(last)s theo mức này, từ %(next)s theo mức mới."
        ) % {"rate": rate.name, "last": _day(rate.valid_to), "next": _day(rate.valid_to + timedelta(days=1))}
    if errors:
        raise ValidationError(errors)
    calendar_days = period_days(start_on, end_on)
    if days_served is None:
        days_served = calendar_days
    elif rate.unit != Unit.PER_DAY and days_served != calendar_days:
        raise ValidationError(
            {"days_served": _("Mức tính theo %(unit)s: số ngày làm nhiệm vụ là cả khoảng thời gian, để trống ô này.")
                            % {"unit": rate.get_unit_display()}}
        )  # fmt: skip
    elif not 1 <= days_served <= calendar_days:
        raise ValidationError(
            {"days_served": _("Số ngày làm nhiệm vụ phải từ 1 đến %(n)d (số ngày từ %(a)s đến %(b)s).")
                            % {"n": calendar_days, "a": _day(start_on), "b": _day(end_on)}}
        )  # fmt: skip
    return Period(start_on, end_on, days_served)


def _overlapping(*, rate: AllowanceRate, period: Period, ward: Area, key: str) -> Entitlement | None:
    return Entitlement.objects.filter(
        ward=ward, person_key=key, rate=rate, cancelled_at__isnull=True, start_on__lte=period.end_on,
        end_on__gte=period.start_on,
    ).first()  # fmt: skip


@transaction.atomic
def entitlement_create(
    *,
    actor: User,
    rate: AllowanceRate,
    start_on: date,
    end_on: date,
    team_member: TeamMember | None = None,
    ward: Area | None = None,
    full_name: str = "",
    phone: str = "",
    unit_name: str = "",
    days_served: int | None = None,
    note: str = "",
    today: date | None = None,
) -> Entitlement:
    """One person's entitlement: a team member (ward, name and team from the member) or a named person."""
    today = today or timezone.localdate()
    team: Team | None = None
    if team_member is not None:
        team = team_member.team
        ward, full_name, phone = team.ward, team_member.full_name, team_member.phone
        unit_name = unit_name or team_member.position
        expected = TEAM_BENEFICIARY.get(team.kind)
        if rate.beneficiary != expected:
            raise ValidationError(
                {"rate": _("%(name)s là thành viên “%(team)s”: chỉ hưởng mức dành cho %(who)s.")
                         % {"name": full_name, "team": team.name, "who": Beneficiary(expected).label.lower()}}
            )  # fmt: skip
    if ward is None:
        raise ValidationError({"ward": _("Cần chọn phường/xã.")})
    _check_ward(actor=actor, ward=ward)
    full_name = nfc(full_name)
    if not full_name:
        raise ValidationError({"full_name": _("Họ và tên không được để trống.")})
    try:
        phone = parse_phone(phone) if phone.strip() else ""
    except InvalidValue as error:
        raise ValidationError({"phone": str(error)}) from error
    period = check_period(rate=rate, start_on=start_on, end_on=end_on, days_served=days_served, today=today)
    key = person_key(member=team_member, full_name=full_name, phone=phone)
    clash = _overlapping(rate=rate, period=period, ward=ward, key=key)
    if clash is not None:
        raise AlreadyCovered(
            {"start_on": _("%(name)s đã có khoản theo mức này từ %(a)s đến %(b)s, trùng thời gian.")
                         % {"name": full_name, "a": _day(clash.start_on), "b": _day(clash.end_on)}}
        )  # fmt: skip
    amount = entitlement_amount(
        unit=rate.unit, rate_amount=rate.amount, start_on=start_on, end_on=end_on, days_served=period.days_served
    )
    entitlement = Entitlement.objects.create(
        ward=ward, team_member=team_member, team=team, full_name=full_name, phone=phone, unit_name=nfc(unit_name),
        person_key=key,
        rate=rate, start_on=start_on, end_on=end_on, days_served=period.days_served, amount=amount,
        rate_amount=rate.amount, rate_unit=rate.unit, document=rate.document, note=nfc(note), created_by=actor,
    )  # fmt: skip
    audit_record(
        actor=actor, event=Event.CREATE, target_type="entitlement", target_id=entitlement.pk, area=ward,
        changes={"full_name": full_name, "phone": phone, "team_member": team_member, "rate": rate.code,
                 "start_on": start_on, "end_on": end_on, "days_served": period.days_served, "amount": amount},
    )  # fmt: skip
    return entitlement


@dataclass
class TeamEntitlements:
    created: list[Entitlement]
    skipped: list[str]  # members who already have an entitlement at this rate for part of the period


@transaction.atomic
def entitlements_create_for_team(
    *, actor: User, team: Team, rate: AllowanceRate, start_on: date, end_on: date, today: date | None = None
) -> TeamEntitlements:
    """One entitlement per member of `team` for the period; members already covered are skipped, by name."""
    members = list(team.members.select_related("team__ward").order_by("id"))
    if not members:
        raise ValidationError({"team": _("Tổ “%(team)s” chưa có thành viên.") % {"team": team.name}})
    result = TeamEntitlements([], [])
    for member in members:
        try:
            with transaction.atomic():
                entitlement = entitlement_create(
                    actor=actor, rate=rate, start_on=start_on, end_on=end_on, team_member=member, today=today
                )
        except AlreadyCovered:
            result.skipped.append(member.full_name)
            continue
        result.created.append(entitlement)
    return result


@transaction.atomic
def entitlement_cancel(*, actor: User, entitlement: Entitlement, reason: str, now: datetime | None = None) -> None:
    """Withdraw an entitlement entered by mistake; only while nothing is paid against it."""
    _check_ward(actor=actor, ward=entitlement.ward)
    reason = nfc(reason)
    if not reason:
        raise ValidationError({"reason": _("Cần ghi lý do huỷ.")})
    changed = Entitlement.objects.filter(pk=entitlement.pk, cancelled_at__isnull=True, paid=0).update(
        cancelled_at=now or timezone.now(), cancelled_by=actor, cancel_reason=reason
    )
    if not changed:
        raise ValidationError({"reason": _("Khoản này đã huỷ, hoặc đã có chi trả: hãy huỷ các lần chi trả trước.")})
    audit_record(
        actor=actor, event=Event.UPDATE, target_type="entitlement", target_id=entitlement.pk, area=entitlement.ward,
        changes={"cancelled": True, "reason": reason},
    )  # fmt: skip


# --- payments --------------------------------------------------------------------------------------


@transaction.atomic
def payment_record(
    *,
    actor: User,
    entitlement: Entitlement,
    amount: int,
    paid_on: date,
    voucher: str,
    method: str,
    today: date | None = None,
    now: datetime | None = None,
) -> Payment:
    today = today or timezone.localdate()
    _check_ward(actor=actor, ward=entitlement.ward)
    voucher = nfc(voucher)
    errors: dict[str, str] = {}
    if not 0 < amount <= MAX_PAYMENT:
        errors["amount"] = _("Số tiền chi phải lớn hơn 0.")
    if paid_on > today:
        errors["paid_on"] = _("Ngày chi không được sau hôm nay.")
    elif paid_on < entitlement.start_on:
        errors["paid_on"] = _("Ngày chi không được trước ngày bắt đầu làm nhiệm vụ (%(day)s).") % {
            "day": _day(entitlement.start_on)
        }
    if not voucher:
        errors["voucher"] = _("Cần ghi số chứng từ chi.")
    if method not in PaymentMethod.values:
        errors["method"] = _("Hình thức chi không hợp lệ.")
    if errors:
        raise ValidationError(errors)
    applied = Entitlement.objects.filter(
        pk=entitlement.pk, cancelled_at__isnull=True, paid__lte=F("amount") - amount
    ).update(paid=F("paid") + amount)
    if not applied:
        current = Entitlement.objects.get(pk=entitlement.pk)
        if current.cancelled_at is not None:
            raise ValidationError({"amount": _("Khoản này đã bị huỷ, không chi trả được.")})
        raise ValidationError(
            {"amount": _("Số tiền %(amount)s đồng vượt quá số còn phải trả cho %(name)s (%(owed)s đồng).")
                       % {"amount": _money(amount), "name": current.full_name, "owed": _money(current.owed)}}
        )  # fmt: skip
    payment = Payment.objects.create(
        entitlement=entitlement, amount=amount, paid_on=paid_on, voucher=voucher, method=method, recorded_by=actor,
        recorded_at=now or timezone.now(),
    )  # fmt: skip
    entitlement.refresh_from_db(fields=["paid"])
    audit_record(
        actor=actor, event=Event.CREATE, target_type="payment", target_id=payment.pk, area=entitlement.ward,
        changes={"entitlement": entitlement.pk, "full_name": entitlement.full_name, "amount": amount,
                 "paid_on": paid_on, "voucher": voucher, "method": method},
    )  # fmt: skip
    return payment


@transaction.atomic
def payment_cancel(*, actor: User, payment: Payment, reason: str, now: datetime | None = None) -> Payment:
    """Reverse a payment recorded by mistake: the row stays, marked cancelled, and the amount is owed again."""
    entitlement = payment.entitlement
    _check_ward(actor=actor, ward=entitlement.ward)
    reason = nfc(reason)
    if not reason:
        raise ValidationError({"reason": _("Cần ghi lý do huỷ chi trả.")})
    now = now or timezone.now()
    cancelled = Payment.objects.filter(pk=payment.pk, cancelled_at__isnull=True).update(
        cancelled_at=now, cancelled_by=actor, cancel_reason=reason
    )
    if not cancelled:
        raise ValidationError({"reason": _("Lần chi trả này đã được huỷ trước đó.")})
    Entitlement.objects.filter(pk=entitlement.pk).update(paid=F("paid") - payment.amount)
    payment.refresh_from_db()
    entitlement.refresh_from_db(fields=["paid"])
    audit_record(
        actor=actor, event=Event.UPDATE, target_type="payment", target_id=payment.pk, area=entitlement.ward,
        changes={"cancelled": True, "reason": reason, "amount": payment.amount, "entitlement": entitlement.pk},
    )  # fmt: skip
    return payment
