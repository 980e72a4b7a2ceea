"""Template context: what the signed-in user may do, for showing or hiding menu items."""

from django.http import HttpRequest

from phongdich.accounts.roles import ROLE_PERMS


def role(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"perms_codes": frozenset()}
    return {"perms_codes": ROLE_PERMS.get(user.role, frozenset())}
