"""The printable vaccination record, its QR code and the public check page (initials and doses only)."""

from datetime import date

from django.test import Client
from django.urls import reverse

from phongdich.testing import PhongdichTestCase
from phongdich.vaccination.models import VaccinationCertificate
from phongdich.vaccination.services import dose_record, vaccination_certificate_issue


class VaccinationCertificateTests(PhongdichTestCase):
    def setUp(self) -> None:
        self.person = self.create_person(
            full_name="Nguyễn Văn An", birth_date=date(1980, 5, 1), birth_year=1980, national_id="001080012345",
            phone="0912345678", address="12 Phố Phúc Xá",
        )  # fmt: skip
        for day in (date(2021, 9, 1), date(2021, 9, 22)):
            dose_record(actor=self.ward_officer_a1, person=self.person, given_on=day, product="pfizer", lot="FF99")
        self.url = reverse("vaccination:certificate", args=[self.person.pk])
        self.issue_url = reverse("vaccination:certificate_issue", args=[self.person.pk])

    def test_record_permission_matrix(self) -> None:
        self.assert_login_required(self.url)
        self.assert_allowed(self.url, self.seeing_ward_a1)
        self.assert_not_found(self.url, self.not_seeing_ward_a1)

    def test_issue_permission_matrix(self) -> None:
        for user in (self.steering, self.leader, self.hotline, self.team_member_a1, self.doctor_a1):
            self.assertEqual(self.client_for(user).post(self.issue_url).status_code, 403, user.username)
        for user in self.not_seeing_ward_a1:
            self.assertEqual(self.client_for(user).post(self.issue_url).status_code, 404, user.username)
        self.assertFalse(VaccinationCertificate.objects.exists())
        response = self.client_for(self.ward_officer_a1).post(self.issue_url)
        self.assertRedirects(response, self.url)
        self.assertTrue(VaccinationCertificate.objects.filter(person=self.person).exists())

    def test_record_shows_doses_and_a_qr_code_once_issued(self) -> None:
        before = self.client_for(self.ward_officer_a1).get(self.url)
        self.assertContains(before, "01/09/2021")
        self.assertContains(before, "22/09/2021")
        self.assertContains(before, "FF99")
        self.assertNotContains(before, "<svg")
        certificate = vaccination_certificate_issue(actor=self.ward_officer_a1, person=self.person)
        after = self.client_for(self.team_member_a1).get(self.url)
        self.assertContains(after, "<svg")
        self.assertContains(after, reverse("vaccination_check", args=[certificate.token]))

    def test_public_check_shows_only_initials_and_doses(self) -> None:
        certificate = vaccination_certificate_issue(actor=self.ward_officer_a1, person=self.person)
        response = Client().get(reverse("vaccination_check", args=[certificate.token]))
        self.assertEqual(response.status_code, 200)
        content = response.content.decode()
        self.assertIn("N. V. A.", content)
        self.assertIn("<dd>2</dd>", content)
        self.assertIn("hợp lệ", content)
        for private in ("Nguyễn Văn An", "001080012345", "0912345678", "Phúc Xá", "1980", "01/09/2021", "FF99"):
            self.assertNotIn(private, content)

    def test_unknown_or_replaced_token_is_a_404_page(self) -> None:
        old = vaccination_certificate_issue(actor=self.ward_officer_a1, person=self.person).token
        vaccination_certificate_issue(actor=self.ward_officer_a1, person=self.person)
        for token in ("khong-co", old, "x" * 80):
            response = Client().get(reverse("vaccination_check", args=[token]))
            self.assertEqual(response.status_code, 404)
            self.assertContains(response, "Không tìm thấy phiếu tiêm chủng", status_code=404)
