"""Login with throttling, role/area rules for accounts, and the token audit record."""

from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from phongdich.accounts.models import LoginFailure
from phongdich.accounts.roles import Role, role_allows
from phongdich.accounts.services import api_token_create, user_create
from phongdich.audit.models import AuditLog, Event
from phongdich.testing import PASSWORD, PhongdichTestCase


class LoginTests(PhongdichTestCase):
    url = reverse("accounts:login")

    def login(self, password: str, client: Client | None = None):  # type: ignore[no-untyped-def]
        return (client or Client()).post(self.url, {"username": "ward_a1", "password": password})

    def test_good_password_logs_in_and_lands_on_home(self) -> None:
        response = self.login(PASSWORD)
        self.assertRedirects(response, reverse("cases:home"), fetch_redirect_response=False)

    def test_wrong_password_is_refused_and_counted(self) -> None:
        response = self.login("sai-mat-khau")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(LoginFailure.objects.filter(username="ward_a1").count(), 1)

    @override_settings(LOGIN_FAILURE_LIMIT=3)
    def test_too_many_failures_lock_the_account_even_with_the_right_password(self) -> None:
        for _ in range(3):
            self.login("sai-mat-khau")
        response = self.login(PASSWORD)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Đăng nhập sai quá nhiều lần")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_success_clears_earlier_failures(self) -> None:
        self.login("sai-mat-khau")
        self.login(PASSWORD)
        self.assertFalse(LoginFailure.objects.filter(username="ward_a1").exists())

    def test_every_page_but_login_needs_a_session(self) -> None:
        for name in ("cases:home", "cases:list", "people:search", "imports:list", "audit:list", "teams:list"):
            response = Client().get(reverse(name))
            self.assertEqual(response.status_code, 302, name)
            self.assertTrue(response["Location"].startswith(self.url), name)

    def test_logout_needs_post(self) -> None:
        client = self.client_for(self.ward_officer_a1)
        self.assertEqual(client.get(reverse("accounts:logout")).status_code, 405)
        self.assertEqual(client.post(reverse("accounts:logout")).status_code, 302)


class UserCreateTests(PhongdichTestCase):
    def test_role_must_work_at_the_level_of_its_area(self) -> None:
        with self.assertRaises(ValidationError):
            user_create(username="x", password=PASSWORD, role=Role.WARD_OFFICER, area=self.district_a)
        with self.assertRaises(ValidationError):
            user_create(username="y", password=PASSWORD, role=Role.STEERING, area=self.ward_a1)

    def test_read_only_roles_cannot_write(self) -> None:
        for role in (Role.STEERING, Role.LEADER, Role.TEAM_MEMBER, Role.DOCTOR):
            self.assertFalse(role_allows(role, "case.edit"), role)
            self.assertTrue(role_allows(role, "case.view"), role)

    def test_api_token_creation_is_audited_and_only_the_hash_is_kept(self) -> None:
        key = api_token_create(user=self.ward_officer_a1, name="hệ thống xét nghiệm")
        token = self.ward_officer_a1.api_tokens.get()
        self.assertNotEqual(token.key_hash, key)
        log = AuditLog.objects.get(event=Event.CREATE, target_type="api_token")
        self.assertEqual((log.target_id, log.area), (token.pk, self.ward_a1))
