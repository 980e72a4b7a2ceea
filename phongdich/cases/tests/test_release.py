"""End of isolation: due dates by the rule in force, tests, release, certificate and its public check page."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.urls import reverse

from phongdich.audit.models import AuditLog
from phongdich.cases.models import Certificate, Status
from phongdich.cases.models import TestKind as Kind  # aliased: pytest would collect a "Test…" class
from phongdich.cases.release import case_release, case_release_check, initials, isolation_test_record
from phongdich.cases.services import CaseIntake
from phongdich.testing import PhongdichTestCase


class ReleaseRuleTests(PhongdichTestCase):
    def test_due_date_follows_the_rule_in_force_on_the_positive_test(self) -> None:
        # CV 11011/BYT-KCB (28/12/2021): 10 days + a negative antigen test.
        before_762 = self.create_case(confirmed_on=date(2022, 1, 10))
        # CV 762/BYT-DP (21/02/2022): 7 days + a negative test.
        after_762 = self.create_case(confirmed_on=date(2022, 2, 25), person=self.create_person(full_name="Trần Bình"))
        plan_before = case_release_check(case=before_762, on=date(2022, 1, 10)).plan
        plan_after = case_release_check(case=after_762, on=date(2022, 2, 25)).plan
        self.assertEqual(plan_before.due_on - before_762.confirmed_on, timedelta(days=10))
        self.assertTrue(plan_before.needs_negative_test)
        self.assertEqual(plan_after.due_on - after_762.confirmed_on, timedelta(days=7))
        self.assertEqual(before_762.release_due_on, plan_before.due_on)
        self.assertEqual(after_762.release_due_on, plan_after.due_on)

    def test_762_extends_to_10_days_if_fully_vaccinated_and_14_if_not(self) -> None:
        intake = CaseIntake(vaccine_doses=2, last_dose_on=date(2021, 10, 1))
        vaccinated = self.create_case(confirmed_on=date(2022, 3, 1), intake=intake)
        unvaccinated = self.create_case(
            confirmed_on=date(2022, 3, 1),
            person=self.create_person(full_name="Lê Cường"),
            intake=CaseIntake(vaccine_doses=0),
        )
        start = date(2022, 3, 1)
        self.assertEqual(case_release_check(case=vaccinated, on=start).plan.extended_due_on, start + timedelta(days=10))
        self.assertEqual(
            case_release_check(case=unvaccinated, on=start).plan.extended_due_on, start + timedelta(days=14)
        )


class ReleaseServiceTests(PhongdichTestCase):
    def setUp(self) -> None:
        self.case = self.create_case(confirmed_on=date(2022, 3, 1), intake=CaseIntake(vaccine_doses=0))
        self.due = self.case.release_due_on

    def test_release_needs_the_days_and_a_negative_test(self) -> None:
        self.assertFalse(case_release_check(case=self.case, on=self.due - timedelta(days=1)).allowed)
        check = case_release_check(case=self.case, on=self.due)
        self.assertFalse(check.allowed)
        self.assertIn("âm tính", check.reason)
        with self.assertRaises(ValidationError):
            case_release(
                actor=self.ward_officer_a1, case=self.case, released_on=self.due, expected_version=self.case.version
            )
        isolation_test_record(
            actor=self.ward_officer_a1, case=self.case, tested_on=self.due, kind=Kind.RAPID_ANTIGEN, negative=True
        )
        certificate = case_release(
            actor=self.ward_officer_a1, case=self.case, released_on=self.due, expected_version=self.case.version
        )
        self.case.refresh_from_db()
        self.assertEqual(self.case.status, Status.RELEASED)
        self.assertEqual(self.case.released_on, self.due)
        self.assertTrue(certificate.number.startswith("HTCL-00001-2022-"))
        self.assertTrue(
            AuditLog.objects.filter(target_type="case", target_id=self.case.pk, changes__has_key="certificate").exists()
        )

    def test_a_positive_test_extends_isolation(self) -> None:
        isolation_test_record(
            actor=self.ward_officer_a1, case=self.case, tested_on=self.due, kind=Kind.RAPID_ANTIGEN, negative=False
        )
        check = case_release_check(case=self.case, on=self.due)
        self.assertFalse(check.allowed)
        self.assertIn("tiếp tục cách ly", check.reason)
        extended = check.plan.extended_due_on
        self.assertTrue(case_release_check(case=self.case, on=extended).allowed)

    def test_a_stale_version_is_refused(self) -> None:
        isolation_test_record(
            actor=self.ward_officer_a1, case=self.case, tested_on=self.due, kind=Kind.RAPID_ANTIGEN, negative=True
        )
        stale = self.case.version
        case_release(actor=self.ward_officer_a1, case=self.case, released_on=self.due, expected_version=stale)
        with self.assertRaises(ValidationError):
            case_release(actor=self.ward_officer_a2, case=self.case, released_on=self.due, expected_version=stale)
        self.assertEqual(Certificate.objects.count(), 1)

    def test_test_dates_are_checked(self) -> None:
        with self.assertRaises(ValidationError) as raised:
            isolation_test_record(
                actor=self.ward_officer_a1,
                case=self.case,
                tested_on=date(2022, 2, 1),
                kind=Kind.RT_PCR,
                negative=True,
            )
        self.assertIn("tested_on", raised.exception.message_dict)


class ReleaseViewTests(PhongdichTestCase):
    def setUp(self) -> None:
        self.case = self.create_case(
            confirmed_on=date(2022, 3, 1), person=self.create_person(full_name="Phạm Thị Dung")
        )
        self.due = self.case.release_due_on

    def test_officer_records_test_releases_and_prints_the_certificate(self) -> None:
        client = self.client_for(self.ward_officer_a1)
        response = client.post(
            reverse("cases:isolation_test", args=[self.case.pk]),
            {"tested_on": f"{self.due:%d/%m/%Y}", "kind": Kind.RAPID_ANTIGEN, "negative": "1", "supervised": "on"},
        )
        self.assertEqual(response.status_code, 302)
        response = client.post(
            reverse("cases:release", args=[self.case.pk]),
            {"released_on": f"{self.due:%d/%m/%Y}", "version": self.case.version},
        )
        self.assertRedirects(response, reverse("cases:certificate", args=[self.case.pk]))
        page = client.get(reverse("cases:certificate", args=[self.case.pk]))
        self.assertContains(page, "Phạm Thị Dung")
        self.assertContains(page, "<svg")
        certificate = Certificate.objects.get(case=self.case)
        self.assertContains(page, reverse("certificate_check", args=[certificate.token]))

    def test_public_check_page_shows_initials_dates_and_validity_only(self) -> None:
        isolation_test_record(
            actor=self.ward_officer_a1, case=self.case, tested_on=self.due, kind=Kind.RAPID_ANTIGEN, negative=True
        )
        certificate = case_release(
            actor=self.ward_officer_a1, case=self.case, released_on=self.due, expected_version=self.case.version
        )
        response = self.client.get(reverse("certificate_check", args=[certificate.token]))
        self.assertContains(response, "P. T. D.")
        self.assertContains(response, "hợp lệ")
        self.assertContains(response, f"{self.due:%d/%m/%Y}")
        self.assertNotContains(response, "Phạm Thị Dung")
        self.assertNotContains(response, str(self.case.person.birth_year))
        missing = self.client.get(reverse("certificate_check", args=["x" * 43]))
        self.assertEqual(missing.status_code, 404)

    def test_permissions(self) -> None:
        url = reverse("cases:release", args=[self.case.pk])
        self.assert_status(url, [self.team_member_a1, self.doctor_a1, self.hotline, self.leader], 403, method="post")
        self.assert_status(url, self.not_seeing_ward_a1, 404, method="post")
        self.assert_not_found(reverse("cases:certificate", args=[self.case.pk]), self.not_seeing_ward_a1)

    def test_initials(self) -> None:
        self.assertEqual(initials("Nguyễn Văn An"), "N. V. A.")
        self.assertEqual(initials("  đỗ  thị "), "Đ. T.")
