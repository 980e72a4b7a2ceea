"""Login with throttling, and logout."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from phongdich.accounts.services import login_failure_record, login_failures_clear, login_locked


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


class ThrottledAuthenticationForm(AuthenticationForm):
    def clean(self):  # type: ignore[no-untyped-def]
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request) if self.request else None
        if login_locked(username=username, ip=ip):
            raise ValidationError(_("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút."), code="locked")
        try:
            cleaned = super().clean()
        except ValidationError:
            login_failure_record(username=username, ip=ip)
            raise
        login_failures_clear(username=username)
        return cleaned


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True
