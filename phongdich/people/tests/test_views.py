from typing import Any

from django.urls import reverse

from phongdich.accounts.models import User
from phongdich.audit.models import AuditLog, Event
from phongdich.cases.models import Case
from phongdich.people.models import Condition, Person
from phongdich.testing import PhongdichTestCase


class PersonSearchViewTests(PhongdichTestCase):
    url = reverse("people:search")

    def setUp(self) -> None:
        self.an = self.create_person(full_name="Nguyễn Văn An", phone="0912345678", national_id="001080012345")

    def found(self, query: str, user: User | None = None) -> list[Person]:
        response = self.client_for(user or self.ward_officer_a1).get(self.url, {"q": query})
        assert response.status_code == 200
        return list(response.context["people"])

    def test_permissions(self) -> None:
        self.assert_allowed(self.url, self.everyone)
        self.assert_allowed(f"{self.url}?q=an", self.everyone)
        self.assert_login_required(self.url)

    def test_name_without_diacritics(self) -> None:
        assert self.found("nguyen van an") == [self.an]
        response = self.client_for(self.ward_officer_a1).get(self.url, {"q": "nguyen van an"})
        self.assertContains(response, "Nguyễn Văn An")
        self.assertContains(response, reverse("people:detail", args=[self.an.pk]))

    def test_phone_in_any_format_and_national_id(self) -> None:
        assert self.found("+84 912 345 678") == [self.an]
        assert self.found("001080012345") == [self.an]

    def test_only_persons_in_the_users_area(self) -> None:
        assert self.found("nguyen van an", self.ward_officer_b1) == []
        self.assertContains(
            self.client_for(self.ward_officer_b1).get(self.url, {"q": "nguyen van an"}), "Không tìm thấy ai"
        )

    def test_htmx_gets_only_the_results(self) -> None:
        response = self.client_for(self.ward_officer_a1).get(self.url, {"q": "an"}, headers={"HX-Request": "true"})
        self.assertTemplateUsed(response, "people/_results.html")
        self.assertTemplateNotUsed(response, "people/search.html")
        self.assertNotContains(response, "<html")


class PersonDetailViewTests(PhongdichTestCase):
    def setUp(self) -> None:
        self.person = self.create_person(phone="0912345678", conditions=[Condition.objects.first()])
        self.case = self.create_case(person=self.person)
        self.url = reverse("people:detail", args=[self.person.pk])

    def test_permissions(self) -> None:
        self.assert_allowed(self.url, self.seeing_ward_a1)
        self.assert_not_found(self.url, self.not_seeing_ward_a1)
        self.assert_login_required(self.url)

    def test_shows_fields_visible_cases_and_conditions(self) -> None:
        hidden = self.create_case(
            person=self.person, ward=self.ward_b1, confirmed_on=self.case.confirmed_on.replace(year=2021)
        )
        response = self.client_for(self.ward_officer_a1).get(self.url)
        assert list(response.context["cases"]) == [self.case]
        self.assertContains(response, self.case.code)
        self.assertNotContains(response, hidden.code)
        self.assertContains(response, "0912345678")
        self.assertContains(response, Condition.objects.first().name)

    def test_probable_duplicates_with_merge_button_for_editors(self) -> None:
        duplicate = self.create_person(full_name="nguyễn văn an", phone="0912345678")
        elsewhere = self.create_person(phone="0912345678", ward=self.ward_b1)
        merge_url = reverse("people:merge", args=[self.person.pk, duplicate.pk])
        response = self.client_for(self.ward_officer_a1).get(self.url)
        assert list(response.context["duplicates"]) == [duplicate]
        self.assertContains(response, merge_url)
        self.assertContains(response, "Gộp vào người này")
        self.assertNotContains(response, reverse("people:detail", args=[elsewhere.pk]))
        response = self.client_for(self.leader).get(self.url)
        self.assertNotContains(response, merge_url)


class PersonEditViewTests(PhongdichTestCase):
    def setUp(self) -> None:
        self.person = self.create_person(phone="0912345678")
        self.url = reverse("people:edit", args=[self.person.pk])

    def post_data(self, **overrides: Any) -> dict[str, Any]:
        return {
            "full_name": "Nguyễn Văn An", "birth": "1980", "sex": "M", "national_id": "", "phone": "0912345678",
            "address": "", "ward": self.ward_a1.pk, **overrides,
        }  # fmt: skip

    def test_permissions(self) -> None:
        self.assert_allowed(self.url, self.editors_of_ward_a1)
        self.assert_status(self.url, self.readers_only, 403)
        self.assert_status(self.url, self.readers_only, 403, method="post")
        self.assert_not_found(self.url, [self.ward_officer_a2, self.ward_officer_b1, self.district_officer_b])
        self.assert_login_required(self.url)

    def test_form_starts_with_the_persons_values(self) -> None:
        form = self.client_for(self.ward_officer_a1).get(self.url).context["form"]
        assert form["full_name"].value() == "Nguyễn Văn An"
        assert form["birth"].value() == "1980"
        assert form["phone"].value() == "0912345678"

    def test_saves_through_the_audited_service(self) -> None:
        data = self.post_data(birth="05/06/1980", phone="+84 987 654 321", national_id="001080012345")
        response = self.client_for(self.ward_officer_a1).post(self.url, data, follow=True)
        self.assertRedirects(response, reverse("people:detail", args=[self.person.pk]))
        self.person.refresh_from_db()
        assert self.person.phone == "0987654321"
        assert self.person.national_id == "001080012345"
        assert str(self.person.birth_date) == "1980-06-05"
        log = AuditLog.objects.get(target_type="person", target_id=self.person.pk, event=Event.UPDATE)
        assert log.actor == self.ward_officer_a1
        assert log.changes["phone"] == ["0912345678", "0987654321"]

    def test_invalid_values_show_vietnamese_field_errors(self) -> None:
        response = self.client_for(self.ward_officer_a1).post(
            self.url, self.post_data(phone="123", national_id="abc", birth="năm ngoái")
        )
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert "Số điện thoại" in errors["phone"][0]
        assert "chỉ được chứa chữ số" in errors["national_id"][0]
        assert "dd/mm/yyyy" in errors["birth"][0]
        self.person.refresh_from_db()
        assert self.person.phone == "0912345678"

    def test_a_national_id_held_by_another_person_is_a_field_error(self) -> None:
        self.create_person(national_id="001080012345", ward=self.ward_b1)
        response = self.client_for(self.ward_officer_a1).post(self.url, self.post_data(national_id="001080012345"))
        assert response.status_code == 200
        assert "Đã có người khác" in response.context["form"].errors["national_id"][0]


class PersonMergeViewTests(PhongdichTestCase):
    def setUp(self) -> None:
        self.source = self.create_person(phone="0912345678", national_id="001080012345")
        self.target = self.create_person(phone="0912345678")
        self.case = self.create_case(person=self.source)
        self.url = reverse("people:merge", args=[self.source.pk, self.target.pk])

    def test_merges_moves_cases_and_keeps_the_merged_person(self) -> None:
        response = self.client_for(self.ward_officer_a1).post(self.url, follow=True)
        self.assertRedirects(response, reverse("people:detail", args=[self.target.pk]))
        self.assertContains(response, "Đã gộp")
        self.case.refresh_from_db()
        self.source.refresh_from_db()
        assert self.case.person == self.target
        assert self.source.merged_into == self.target
        assert Person.objects.filter(pk=self.source.pk).exists()
        log = AuditLog.objects.get(event=Event.MERGE)
        assert (log.actor, log.target_id, log.extra["merged_from"]) == (
            self.ward_officer_a1,
            self.target.pk,
            self.source.pk,
        )
        # The merged person is gone from the user's view.
        assert (
            self.client_for(self.ward_officer_a1).get(reverse("people:detail", args=[self.source.pk])).status_code
            == 404
        )

    def test_permissions(self) -> None:
        self.assert_status(self.url, [self.ward_officer_a1], 405)
        self.assert_status(self.url, self.readers_only, 403, method="post")
        self.assert_status(self.url, self.not_seeing_ward_a1, 404, method="post")
        self.assert_login_required(self.url, method="post")
        assert Case.objects.get().person == self.source

    def test_both_persons_must_be_visible(self) -> None:
        outside = self.create_person(phone="0912345678", ward=self.ward_b1)
        url = reverse("people:merge", args=[self.source.pk, outside.pk])
        assert self.client_for(self.ward_officer_a1).post(url).status_code == 404
        assert self.client_for(self.city_admin).post(url).status_code == 302

    def test_a_refused_merge_is_a_message_not_a_500(self) -> None:
        other = self.create_person(phone="0912345678", national_id="001080054321")
        url = reverse("people:merge", args=[self.source.pk, other.pk])
        response = self.client_for(self.ward_officer_a1).post(url, follow=True)
        self.assertRedirects(response, reverse("people:detail", args=[self.source.pk]))
        self.assertContains(response, "CCCD/CMND khác nhau")
        self.source.refresh_from_db()
        assert self.source.merged_into is None
        assert not AuditLog.objects.filter(event=Event.MERGE).exists()
