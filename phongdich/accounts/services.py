"""Writes for accounts: creating users and API tokens, recording and checking login failures."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.accounts.models import ApiToken, LoginFailure, User
from phongdich.accounts.roles import Role
from phongdich.areas.models import Area, Level
from phongdich.audit.models import Event
from phongdich.audit.services import audit_record

# Which level of area each role works at.
ROLE_LEVELS: dict[str, set[int]] = {
    Role.STEERING: {Level.PROVINCE},
    Role.CITY_ADMIN: {Level.PROVINCE},
    Role.LEADER: {Level.PROVINCE, Level.DISTRICT, Level.WARD},
    Role.DISTRICT_OFFICER: {Level.DISTRICT},
    Role.WARD_OFFICER: {Level.WARD},
    Role.TEAM_MEMBER: {Level.WARD},
    Role.DOCTOR: {Level.PROVINCE, Level.DISTRICT, Level.WARD},
    Role.HOTLINE: {Level.PROVINCE, Level.DISTRICT},
}


@transaction.atomic
def user_create(
    *, username: str, password: str | None, role: str, area: Area, full_name: str = "", phone: str = ""
) -> User:
    if area.level not in ROLE_LEVELS[role]:
        raise ValidationError(
            {"area": _("Vai trò này không làm việc ở cấp %(level)s.") % {"level": area.get_level_display()}}
        )
    first, _sep, last = full_name.rpartition(" ")
    user = User(username=username, role=role, area=area, first_name=first, last_name=last, phone=phone)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


def api_token_create(*, user: User, name: str) -> str:
    """A new bearer token for `user`; the key is returned once and only its hash is kept."""
    key = ApiToken.new_key()
    token = ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash(key))
    # A token reads personal data as its user: who got one, and when, belongs in the audit trail.
    audit_record(actor=None, event=Event.CREATE, target_type="api_token", target_id=token.pk, area=user.area,
                 extra={"user": user.pk, "name": name})  # fmt: skip
    return key


def login_failure_record(*, username: str, ip: str | None) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], ip=ip)


def login_locked(*, username: str, ip: str | None) -> bool:
    """Too many recent failures for this username, or from this address (3× the limit)."""
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    recent = LoginFailure.objects.filter(at__gte=since)
    if recent.filter(username=username.lower()).count() >= settings.LOGIN_FAILURE_LIMIT:
        return True
    return bool(ip) and recent.filter(ip=ip).count() >= 3 * settings.LOGIN_FAILURE_LIMIT


def login_failures_clear(*, username: str) -> None:
    LoginFailure.objects.filter(username=username.lower()).delete()
