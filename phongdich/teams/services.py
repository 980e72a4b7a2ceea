"""Writes for community teams: registering a team, adding and removing members. Each leaves an audit record;
member names and phones are personal data, so their removal is recorded too."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from phongdich.accounts.models import User
from phongdich.areas.models import Area
from phongdich.areas.scoping import area_contains
from phongdich.audit.models import Event
from phongdich.audit.services import audit_record
from phongdich.people.identity import InvalidValue, parse_phone
from phongdich.teams.models import Team, TeamKind, TeamMember
from phongdich.vntext import nfc


def _check_in_area(*, actor: User, ward: Area, field: str | None = None) -> None:
    if actor.area is None or not ward.is_ward or not area_contains(actor.area, ward):
        message = _("Phường/xã phải thuộc địa bàn của bạn.")
        raise ValidationError({field: message} if field else message)


def check_team_create(*, actor: User, ward: Area, kind: str, name: str) -> None:
    _check_in_area(actor=actor, ward=ward, field="ward")
    if kind not in TeamKind.values:
        raise ValidationError({"kind": _("Loại tổ không hợp lệ.")})
    if not name:
        raise ValidationError({"name": _("Tên tổ không được để trống.")})
    if Team.objects.filter(ward=ward, name__iexact=name).exists():
        raise ValidationError({"name": _("%(ward)s đã có tổ tên “%(name)s”.") % {"ward": ward.name, "name": name}})


@transaction.atomic
def team_create(*, actor: User, ward: Area, kind: str, name: str) -> Team:
    name = nfc(name)
    check_team_create(actor=actor, ward=ward, kind=kind, name=name)
    team = Team.objects.create(ward=ward, kind=kind, name=name)
    audit_record(
        actor=actor, event=Event.CREATE, target_type="team", target_id=team.pk, area=ward,
        changes={"ward": ward.code, "kind": kind, "name": name},
    )  # fmt: skip
    return team


def check_team_member_add(*, actor: User, team: Team, full_name: str, user: User | None) -> None:
    _check_in_area(actor=actor, ward=team.ward)
    if not full_name:
        raise ValidationError({"full_name": _("Họ và tên không được để trống.")})
    if user is not None:
        if actor.area is None or user.area is None or not area_contains(actor.area, user.area):
            raise ValidationError({"user": _("Tài khoản liên kết phải thuộc địa bàn của bạn.")})
        if team.members.filter(user=user).exists():
            raise ValidationError(
                {"user": _("Tài khoản %(username)s đã là thành viên tổ này.") % {"username": user.username}}
            )


@transaction.atomic
def team_member_add(
    *, actor: User, team: Team, full_name: str, phone: str = "", position: str = "", user: User | None = None
) -> TeamMember:
    full_name = nfc(full_name)
    check_team_member_add(actor=actor, team=team, full_name=full_name, user=user)
    try:
        phone = parse_phone(phone) if phone.strip() else ""
    except InvalidValue as error:
        raise ValidationError({"phone": str(error)}) from error
    member = TeamMember.objects.create(team=team, full_name=full_name, phone=phone, position=nfc(position), user=user)
    audit_record(
        actor=actor, event=Event.CREATE, target_type="team_member", target_id=member.pk, area=team.ward,
        changes={"team": team.pk, "full_name": member.full_name, "phone": phone, "position": member.position,
                 "user": user},
    )  # fmt: skip
    return member


@transaction.atomic
def team_member_remove(*, actor: User, member: TeamMember) -> None:
    team = member.team
    _check_in_area(actor=actor, ward=team.ward)
    audit_record(
        actor=actor, event=Event.DELETE, target_type="team_member", target_id=member.pk, area=team.ward,
        changes={"team": team.pk, "full_name": member.full_name, "phone": member.phone, "position": member.position,
                 "user": member.user_id},
    )  # fmt: skip
    member.delete()
