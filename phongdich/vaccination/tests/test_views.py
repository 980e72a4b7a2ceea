"""A person's vaccination page: who sees it, who records doses, the add/delete/homebound forms."""

from datetime import date

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from phongdich.accounts.models import User
from phongdich.testing import PhongdichTestCase
from phongdich.vaccination.models import Dose, PersonVaccination
from phongdich.vaccination.services import dose_record


class VaccinationViewTestCase(PhongdichTestCase):
    def setUp(self) -> None:
        self.person = self.create_person(birth_date=date(1980, 5, 1), birth_year=1980)
        self.url = reverse("vaccination:person", args=[self.person.pk])

    @property
    def vaccinators(self) -> list[User]:
        return [self.city_admin, self.district_officer_a, self.ward_officer_a1]

    @property
    def not_vaccinating(self) -> list[User]:
        return [self.steering, self.leader, self.hotline, self.team_member_a1, self.doctor_a1]

    def add_dose(self, user: User, client: Client | None = None, **data: str) -> object:
        body = {"given_on": "01/09/2021", "product": "pfizer", "kind": "", "lot": "", "site": "", "given_by": ""}
        client = client or self.client_for(user)
        return client.post(reverse("vaccination:dose_add", args=[self.person.pk]), {**body, **data})


class PersonPageTests(VaccinationViewTestCase):
    def test_permission_matrix(self) -> None:
        self.assert_login_required(self.url)
        self.assert_allowed(self.url, self.seeing_ward_a1)
        self.assert_not_found(self.url, self.not_seeing_ward_a1)

    def test_shows_doses_status_next_dose_and_flags(self) -> None:
        dose_record(actor=self.ward_officer_a1, person=self.person, given_on=date(2021, 9, 1), product="pfizer",
                    lot="FF1234")  # fmt: skip
        dose_record(actor=self.ward_officer_a1, person=self.person, given_on=date(2021, 9, 11), product="pfizer")
        response = self.client_for(self.ward_officer_a1).get(self.url)
        content = response.content.decode()
        self.assertContains(response, "01/09/2021")
        self.assertContains(response, "FF1234")
        self.assertContains(response, "Đủ liều cơ bản")
        self.assertContains(response, "Mũi nhắc lại lần 1")
        self.assertIn("badge-doubtful", content)  # the second dose came too early
        self.assertContains(response, reverse("vaccination:dose_add", args=[self.person.pk]))

    def test_readers_see_no_forms(self) -> None:
        response = self.client_for(self.team_member_a1).get(self.url)
        self.assertNotContains(response, reverse("vaccination:dose_add", args=[self.person.pk]))
        self.assertNotContains(response, reverse("vaccination:homebound", args=[self.person.pk]))

    def test_page_queries_do_not_grow_with_doses(self) -> None:
        dose_record(actor=self.ward_officer_a1, person=self.person, given_on=date(2021, 9, 1), product="pfizer")
        client = self.client_for(self.ward_officer_a1)
        with CaptureQueriesContext(connection) as one:
            client.get(self.url)
        for day in (date(2021, 9, 22), date(2022, 1, 5), date(2022, 6, 1)):
            dose_record(actor=self.ward_officer_a1, person=self.person, given_on=day, product="pfizer")
        with CaptureQueriesContext(connection) as four:
            response = client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(four), len(one))

    def test_linked_from_the_person_page(self) -> None:
        response = self.client_for(self.ward_officer_a1).get(reverse("people:detail", args=[self.person.pk]))
        self.assertContains(response, self.url)


class DoseAddTests(VaccinationViewTestCase):
    def test_permission_matrix(self) -> None:
        for user in self.not_vaccinating:
            self.assertEqual(self.add_dose(user).status_code, 403, user.username)
        for user in self.not_seeing_ward_a1:
            self.assertEqual(self.add_dose(user).status_code, 404, user.username)
        self.assertFalse(Dose.objects.exists())
        for index, user in enumerate(self.vaccinators):
            response = self.add_dose(user, given_on=f"0{index + 1}/09/2021")
            self.assertEqual(response.status_code, 302, user.username)
        self.assertEqual(Dose.objects.filter(person=self.person).count(), 3)

    def test_records_and_warns_of_flags(self) -> None:
        client = self.client_for(self.ward_officer_a1)
        self.add_dose(self.ward_officer_a1, client)
        response = self.add_dose(self.ward_officer_a1, client, given_on="11/09/2021")
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        page = client.get(self.url)
        self.assertContains(page, "Đã ghi mũi tiêm ngày 11/09/2021")
        self.assertContains(page, 'class="message warning"')
        self.assertEqual(PersonVaccination.objects.get(pk=self.person.pk).doses, 2)

    def test_refusal_shows_the_form_again_with_the_error(self) -> None:
        response = self.add_dose(self.ward_officer_a1, given_on="01/01/1979")
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "errorlist", status_code=422)
        self.add_dose(self.ward_officer_a1)
        duplicate = self.add_dose(self.ward_officer_a1, product="moderna")
        self.assertContains(duplicate, "Đã có mũi tiêm ngày 01/09/2021", status_code=422)
        bad_date = self.add_dose(self.ward_officer_a1, given_on="31/02/2021")
        self.assertEqual(bad_date.status_code, 422)
        self.assertEqual(Dose.objects.count(), 1)


class DoseDeleteAndHomeboundTests(VaccinationViewTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.dose, _ = dose_record(
            actor=self.ward_officer_a1, person=self.person, given_on=date(2021, 9, 1), product="pfizer"
        )

    def test_delete_permission_matrix_and_reason(self) -> None:
        url = reverse("vaccination:dose_delete", args=[self.person.pk, self.dose.pk])
        for user in self.not_vaccinating:
            self.assertEqual(self.client_for(user).post(url, {"reason": "x"}).status_code, 403, user.username)
        for user in self.not_seeing_ward_a1:
            self.assertEqual(self.client_for(user).post(url, {"reason": "x"}).status_code, 404, user.username)
        other = self.create_person(full_name="Trần Thị Bình")
        wrong_person = reverse("vaccination:dose_delete", args=[other.pk, self.dose.pk])
        self.assertEqual(self.client_for(self.ward_officer_a1).post(wrong_person, {"reason": "x"}).status_code, 404)
        self.client_for(self.ward_officer_a1).post(url, {"reason": ""})
        self.assertTrue(Dose.objects.filter(pk=self.dose.pk).exists())
        response = self.client_for(self.ward_officer_a1).post(url, {"reason": "Nhập nhầm"})
        self.assertRedirects(response, self.url)
        self.assertFalse(Dose.objects.filter(pk=self.dose.pk).exists())

    def test_homebound_toggle(self) -> None:
        url = reverse("vaccination:homebound", args=[self.person.pk])
        for user in self.not_vaccinating:
            self.assertEqual(self.client_for(user).post(url, {"homebound": "on"}).status_code, 403, user.username)
        for user in self.not_seeing_ward_a1:
            self.assertEqual(self.client_for(user).post(url, {"homebound": "on"}).status_code, 404, user.username)
        self.assertFalse(PersonVaccination.objects.get(pk=self.person.pk).homebound)
        self.client_for(self.ward_officer_a1).post(url, {"homebound": "on"})
        summary = PersonVaccination.objects.get(pk=self.person.pk)
        self.assertTrue(summary.homebound)
        self.assertTrue(summary.priority)
        self.client_for(self.ward_officer_a1).post(url, {})
        self.assertFalse(PersonVaccination.objects.get(pk=self.person.pk).homebound)
