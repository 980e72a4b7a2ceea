"""The personal link: creating and revoking it, the patient's page, neutral refusals, rate limits, CSRF."""

from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from phongdich.audit.models import AuditLog
from phongdich.cases.models import AlertLevel, Case, Status
from phongdich.monitoring.models import Alert, Channel, Declaration, PatientLink
from phongdich.monitoring.selectors import patient_link_last_used
from phongdich.monitoring.services import (
    patient_link_case,
    patient_link_create,
    patient_link_revoke,
    token_hash,
)
from phongdich.monitoring.tests.test_declarations import EMERGENCY, NORMAL, URGENT, MonitoringTestCase


class LinkTestCase(MonitoringTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.case = self.make_case()
        self.link, self.token = patient_link_create(actor=self.ward_officer_a1, case=self.case)

    def link_url(self, token: str | None = None) -> str:
        return reverse("monitoring:link", kwargs={"token": token or self.token})


class PatientLinkServiceTests(LinkTestCase):
    def test_only_the_hash_is_stored_and_the_token_finds_the_case(self) -> None:
        assert len(self.token) >= 32
        assert self.link.token_hash == token_hash(self.token) != self.token
        assert patient_link_case(self.token) == self.case
        assert AuditLog.objects.filter(target_type="patient_link", target_id=self.link.pk).exists()

    def test_a_new_link_revokes_the_old_one(self) -> None:
        new, new_token = patient_link_create(actor=self.ward_officer_a1, case=self.case)
        self.link.refresh_from_db()
        assert self.link.revoked_at is not None and self.link.revoked_by == self.ward_officer_a1
        assert patient_link_case(self.token) is None
        assert patient_link_case(new_token) == self.case
        assert PatientLink.objects.filter(case=self.case, revoked_at__isnull=True).get() == new

    def test_revoke(self) -> None:
        patient_link_revoke(actor=self.ward_officer_a1, link=self.link)
        assert patient_link_case(self.token) is None

    def test_released_case_has_no_live_link(self) -> None:
        Case.objects.filter(pk=self.case.pk).update(status=Status.RELEASED)
        assert patient_link_case(self.token) is None

    def test_out_of_area_officer_cannot_create(self) -> None:
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            patient_link_create(actor=self.ward_officer_b1, case=self.case)


class LinkPageTests(LinkTestCase):
    def test_get_shows_a_small_mobile_form_without_login(self) -> None:
        response = Client().get(self.link_url())
        assert response.status_code == 200
        self.assertContains(response, self.case.code)
        self.assertContains(response, 'inputmode="numeric"')
        self.assertContains(response, 'name="symptoms"')
        self.assertNotContains(response, "chart.js")
        self.assertNotContains(response, "leaflet")
        self.assertNotContains(response, self.case.person.full_name)
        assert "sessionid" not in response.cookies

    def test_first_time_visitor_submits_with_csrf_and_no_session(self) -> None:
        client = Client(enforce_csrf_checks=True)
        page = client.get(self.link_url())
        csrf = client.cookies["csrftoken"].value
        assert csrf
        response = client.post(self.link_url(), {**self.form_data(), "csrfmiddlewaretoken": page.context["csrf_token"]})
        assert response.status_code == 200, response.content
        self.assertContains(response, "Các chỉ số bình thường")
        declaration = Declaration.objects.get(case=self.case)
        assert declaration.channel == Channel.LINK and declaration.entered_by is None
        assert "sessionid" not in response.cookies
        assert patient_link_last_used(link=self.link) == declaration.declared_at

    def test_post_without_csrf_is_refused(self) -> None:
        response = Client(enforce_csrf_checks=True).post(self.link_url(), self.form_data())
        assert response.status_code == 403
        assert not Declaration.objects.exists()

    def test_emergency_result_tells_to_call_115(self) -> None:
        response = Client().post(self.link_url(), self.form_data(EMERGENCY))
        self.assertContains(response, "Bạn cần được cấp cứu ngay")
        self.assertContains(response, 'href="tel:115"')
        assert Alert.objects.get(case=self.case).level == AlertLevel.EMERGENCY

    def test_urgent_result_tells_to_contact_the_station_and_to_remeasure(self) -> None:
        response = Client().post(self.link_url(), self.form_data(URGENT))
        self.assertContains(response, "Bạn cần liên hệ ngay trạm y tế")
        self.assertContains(response, self.case.ward.name)
        self.assertContains(response, "đo lại sau 30 giây")

    def test_impossible_value_is_refused_on_the_field(self) -> None:
        response = Client().post(self.link_url(), self.form_data({**NORMAL, "temperature": "60"}))
        assert response.status_code == 200
        self.assertContains(response, "không hợp lý")
        assert not Declaration.objects.exists()

    def test_unknown_revoked_and_released_all_answer_the_same_404(self) -> None:
        unknown = Client().get(self.link_url("khong-co-lien-ket-nay-0123456789abcdef"))
        other_case = self.make_case(person=self.create_person(full_name="Người Khác"))
        other_link, other_token = patient_link_create(actor=self.ward_officer_a1, case=other_case)
        patient_link_revoke(actor=self.ward_officer_a1, link=other_link)
        revoked = Client().get(self.link_url(other_token))
        Case.objects.filter(pk=self.case.pk).update(status=Status.RELEASED)
        released = Client().get(self.link_url())
        posted = Client().post(self.link_url(), self.form_data())
        bodies = {r.content for r in (unknown, revoked, released, posted)}
        assert {r.status_code for r in (unknown, revoked, released, posted)} == {404}
        assert len(bodies) == 1
        assert "không đúng hoặc không còn hiệu lực" in bodies.pop().decode()
        assert not Declaration.objects.exists()

    @override_settings(PHONGDICH_LINK_RATE_PER_TOKEN=3, PHONGDICH_LINK_RATE_PER_ADDRESS=100)
    def test_rate_limit_per_token(self) -> None:
        for _i in range(3):
            assert Client().get(self.link_url()).status_code == 200
        response = Client(REMOTE_ADDR="10.0.0.9").get(self.link_url())
        assert response.status_code == 429
        self.assertContains(response, "quá nhiều lần", status_code=429)
        assert Client().post(self.link_url(), self.form_data()).status_code == 429
        assert not Declaration.objects.exists()

    @override_settings(PHONGDICH_LINK_RATE_PER_TOKEN=100, PHONGDICH_LINK_RATE_PER_ADDRESS=3)
    def test_rate_limit_per_address_counts_unknown_tokens(self) -> None:
        client = Client(REMOTE_ADDR="10.0.0.7")
        for i in range(3):
            assert client.get(self.link_url(f"doan-thu-{i}")).status_code == 404
        assert client.get(self.link_url()).status_code == 429
        assert Client(REMOTE_ADDR="10.0.0.8").get(self.link_url()).status_code == 200

    def test_page_post_query_count(self) -> None:
        client = Client()
        # link lookup; savepoint, INSERT declaration, UPDATE case, INSERT audit, release (the three writes are
        # one statement on PostgreSQL)
        with self.assertNumQueries(4 if connection.vendor == "postgresql" else 6):
            response = client.post(self.link_url(), self.form_data())
        assert response.status_code == 200


class LinkManageViewTests(LinkTestCase):
    def url(self) -> str:
        return reverse("monitoring:link_manage", kwargs={"case_id": self.case.pk})

    def test_permission_matrix(self) -> None:
        self.assert_login_required(self.url())
        self.assert_allowed(
            self.url(), [self.city_admin, self.hotline, self.district_officer_a, self.ward_officer_a1, self.doctor_a1]
        )
        self.assert_status(self.url(), [self.steering, self.leader], 403)
        self.assert_not_found(self.url(), self.not_seeing_ward_a1)
        for user in self.not_seeing_ward_a1:
            assert self.client_for(user).post(self.url(), {"action": "create"}).status_code == 404
        assert PatientLink.objects.count() == 1

    def test_create_shows_the_url_and_qr_once(self) -> None:
        client = self.client_for(self.team_member_a1)
        response = client.post(self.url(), {"action": "create"})
        assert response.status_code == 200
        url = response.context["new_url"]
        token = url.rstrip("/").rsplit("/", 1)[1]
        assert patient_link_case(token) == self.case
        assert "<svg" in response.context["qr"]
        self.assertContains(response, url)
        assert patient_link_case(self.token) is None  # the old link stopped working
        again = client.get(self.url())
        self.assertNotContains(again, token)

    def test_revoke(self) -> None:
        response = self.client_for(self.ward_officer_a1).post(self.url(), {"action": "revoke"})
        assert response.status_code == 302
        assert patient_link_case(self.token) is None
