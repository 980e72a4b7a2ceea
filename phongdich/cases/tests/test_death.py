"""Recording the death of an F0: the service's refusals, the bed it frees, the audit, the form on the case page."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.urls import reverse

from phongdich.audit.models import AuditLog
from phongdich.care.models import Facility
from phongdich.cases.models import Case, Status
from phongdich.cases.release import case_death_record
from phongdich.testing import PhongdichTestCase

TODAY = date(2022, 2, 25)


class CaseDeathRecordTest(PhongdichTestCase):
    def setUp(self) -> None:
        self.case = self.create_case(confirmed_on=date(2022, 2, 20))

    def record(self, died_on: date, **kwargs: object) -> Case:
        values = {"actor": self.ward_officer_a1, "case": self.case, "died_on": died_on,
                  "expected_version": self.case.version, "today": TODAY, **kwargs}  # fmt: skip
        return case_death_record(**values)  # type: ignore[arg-type]

    def test_records_status_date_version_and_audit(self) -> None:
        case = self.record(date(2022, 2, 24), note="Suy hô hấp")
        self.assertEqual((case.status, case.died_on, case.version), (Status.DIED, date(2022, 2, 24), 2))
        log = AuditLog.objects.filter(target_type="case", target_id=case.pk).latest("pk")
        self.assertEqual(log.changes["status"], ["active", "died"])

    def test_refuses_a_future_date_or_one_before_the_positive_test(self) -> None:
        for died_on, message in ((TODAY + timedelta(days=1), "tương lai"), (date(2022, 2, 19), "từ ngày dương tính")):
            with self.subTest(died_on=died_on), self.assertRaises(ValidationError) as raised:
                self.record(died_on)
            self.assertIn(message, raised.exception.message_dict["died_on"][0])
        self.assertEqual(Case.objects.get(pk=self.case.pk).status, Status.ACTIVE)

    def test_refuses_a_released_or_dead_case_and_a_stale_version(self) -> None:
        Case.objects.filter(pk=self.case.pk).update(status=Status.RELEASED, released_on=date(2022, 2, 24))
        self.case.refresh_from_db()
        with self.assertRaises(ValidationError) as raised:
            self.record(date(2022, 2, 24))
        self.assertIn("đã hoàn thành cách ly", raised.exception.message_dict["died_on"][0])
        other = self.create_case(person=self.create_person(full_name="Lê Văn Bình"), confirmed_on=date(2022, 2, 21))
        with self.assertRaises(ValidationError):
            case_death_record(
                actor=self.city_admin, case=other, died_on=TODAY, expected_version=other.version + 1, today=TODAY
            )
        case_death_record(actor=self.city_admin, case=other, died_on=TODAY, expected_version=other.version, today=TODAY)
        with self.assertRaises(ValidationError) as raised:
            case_death_record(
                actor=self.city_admin, case=other, died_on=TODAY, expected_version=other.version, today=TODAY
            )
        self.assertIn("đã được ghi nhận tử vong", raised.exception.message_dict["died_on"][0])

    def test_frees_the_bed_of_a_case_at_a_facility(self) -> None:
        facility = Facility.objects.create(
            code="T3", name="BV Tầng 3", tier=3, district=self.district_a, beds=5, occupied=2
        )
        Case.objects.filter(pk=self.case.pk).update(place="facility", facility=facility)
        self.case.refresh_from_db()
        self.record(date(2022, 2, 23))
        facility.refresh_from_db()
        self.assertEqual(facility.occupied, 1)


class CaseDeathViewTest(PhongdichTestCase):
    def setUp(self) -> None:
        self.case = self.create_case(confirmed_on=date(2022, 2, 20))
        self.url = reverse("cases:death", args=[self.case.pk])

    def test_form_on_the_case_page_and_post(self) -> None:
        client = self.client_for(self.ward_officer_a1)
        page = client.get(reverse("cases:detail", args=[self.case.pk]))
        self.assertContains(page, self.url)
        response = client.post(self.url, {"died_on": "22/02/2022", "version": self.case.version, "note": ""})
        self.assertRedirects(response, reverse("cases:detail", args=[self.case.pk]), fetch_redirect_response=False)
        self.assertEqual(Case.objects.get(pk=self.case.pk).died_on, date(2022, 2, 22))

    def test_bad_date_is_told_with_the_field(self) -> None:
        response = self.client_for(self.ward_officer_a1).post(
            self.url, {"died_on": "19/02/2022", "version": self.case.version}, follow=True
        )
        self.assertContains(response, "Ngày tử vong phải từ ngày dương tính")
        self.assertEqual(Case.objects.get(pk=self.case.pk).status, Status.ACTIVE)

    def test_permissions(self) -> None:
        data = {"died_on": "22/02/2022", "version": self.case.version}
        self.assert_status(self.url, [self.leader, self.steering], 403, method="post")
        for user in self.not_seeing_ward_a1:
            self.assertEqual(self.client_for(user).post(self.url, data).status_code, 404)
        self.assertEqual(Case.objects.get(pk=self.case.pk).status, Status.ACTIVE)
