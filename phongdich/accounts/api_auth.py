"""API authentication: `Authorization: Bearer <key>` for other systems, or the browser's session with CSRF.

Handlers read the user from `request.auth` and check role permissions with `require_perm()` (403).
"""

from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from phongdich.accounts.models import ApiToken, User

# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        if not token:
            return None
        api_token = ApiToken.objects.select_related("user__area").filter(key_hash=ApiToken.hash(token)).first()
        if api_token is None or not api_token.user.is_active:
            return None
        now = timezone.now()
        if api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        return api_token.user


class SessionCsrfAuth(SessionAuth):
    """ninja's django_auth, except that a request without a signed-in session is a 401 rather than a
    CSRF failure; a signed-in session still needs the CSRF token for writes."""

    def __call__(self, request: HttpRequest) -> User | None:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)

    def _get_key(self, request: HttpRequest) -> str | None:
        try:
            return super()._get_key(request)
        except HttpError as error:
            raise HttpError(403, _("Thiếu mã CSRF (X-CSRFToken) hoặc mã không đúng.")) from error


def check_perm(user: User, perm: str) -> None:
    """403 when the user's role lacks `perm`."""
    if not user.has_perm_code(perm):
        raise HttpError(403, _("Vai trò của bạn không được phép thực hiện thao tác này."))


def require_perm(request: HttpRequest, perm: str) -> User:
    """The authenticated user, or 403 when their role lacks `perm`."""
    user: User = request.auth  # type: ignore[attr-defined]
    check_perm(user, perm)
    return user
