import pytest
from django.http import Http404

from phongdich.accounts.models import User
from phongdich.people.models import Person
from phongdich.people.selectors import (
    RegistrationMatch,
    person_for_user,
    person_match_for_registration,
    person_probable_matches,
    person_search,
    persons_visible_to,
)
from phongdich.people.services import person_merge
from phongdich.testing import PhongdichTestCase


class PersonScopingTests(PhongdichTestCase):
    def test_visible_persons_exclude_other_areas_and_merged(self) -> None:
        a1 = self.create_person(ward=self.ward_a1)
        a2 = self.create_person(ward=self.ward_a2)
        b1 = self.create_person(ward=self.ward_b1)
        merged = self.create_person(ward=self.ward_a1)
        person_merge(actor=self.city_admin, source=merged, target=a1)
        assert set(persons_visible_to(self.ward_officer_a1)) == {a1}
        assert set(persons_visible_to(self.district_officer_a)) == {a1, a2}
        assert set(persons_visible_to(self.leader)) == {a1, a2, b1}

    def test_person_for_user_is_404_outside_the_area(self) -> None:
        person = self.create_person(ward=self.ward_a1)
        assert person_for_user(self.ward_officer_a1, person.pk) == person
        with pytest.raises(Http404):
            person_for_user(self.ward_officer_b1, person.pk)


class PersonSearchTests(PhongdichTestCase):
    def setUp(self) -> None:
        self.an = self.create_person(full_name="Nguyễn Văn An", phone="0912345678", national_id="001080012345")
        self.binh = self.create_person(full_name="Trần Thị Bình", phone="0987654321", sex="F")

    def search(self, query: str, user: User | None = None) -> list[Person]:
        return person_search(user=user or self.ward_officer_a1, query=query)

    def test_name_with_or_without_diacritics(self) -> None:
        assert self.search("nguyen van an") == [self.an]
        assert self.search("Nguyễn Văn") == [self.an]
        assert self.search("  TRAN   thi ") == [self.binh]

    def test_phone_in_any_format(self) -> None:
        assert self.search("+84 912 345 678") == [self.an]
        assert self.search("0912.345.678") == [self.an]
        assert self.search("84987654321") == [self.binh]

    def test_national_id(self) -> None:
        assert self.search("001080012345") == [self.an]

    def test_empty_query_and_other_areas_find_nothing(self) -> None:
        assert self.search("   ") == []
        assert self.search("nguyen van an", self.ward_officer_b1) == []


class PersonProbableMatchTests(PhongdichTestCase):
    def test_same_name_year_and_phone(self) -> None:
        person = self.create_person(phone="0912345678")
        self.create_person(phone="0912000000")
        matches = person_probable_matches(full_name="nguyen van an", birth_year=1980, phone="0912345678")
        assert list(matches) == [person]
        assert not person_probable_matches(full_name="Nguyễn Văn An", birth_year=1980, phone="")
        assert not person_probable_matches(full_name="Nguyễn Văn An", birth_year=None, phone="0912345678")
        assert not person_probable_matches(
            full_name="Nguyễn Văn An", birth_year=1980, phone="0912345678", exclude_id=person.pk
        )

    def test_restricted_to_the_users_area(self) -> None:
        self.create_person(phone="0912345678", ward=self.ward_b1)
        for user, expected in ((self.district_officer_b, 1), (self.ward_officer_a1, 0)):
            matches = person_probable_matches(full_name="Nguyễn Văn An", birth_year=1980, phone="0912345678", user=user)
            assert matches.count() == expected


class PersonMatchForRegistrationTests(PhongdichTestCase):
    def match(self, choice: str = "", national_id: str | None = None) -> RegistrationMatch:
        return person_match_for_registration(
            user=self.ward_officer_a1, national_id=national_id, full_name="Nguyễn Văn An", birth_year=1980,
            phone="0912345678", choice=choice,
        )  # fmt: skip

    def test_same_national_id_is_the_same_person_wherever_they_live(self) -> None:
        person = self.create_person(ward=self.ward_b1, national_id="001080012345", full_name="Tên khác")
        match = self.match(national_id="001080012345")
        assert match.person == person
        assert match.by_national_id

    def test_probable_matches_are_candidates_until_the_officer_chooses(self) -> None:
        person = self.create_person(phone="0912345678")
        assert self.match().candidates == (person,)
        chosen = self.match(choice=str(person.pk))
        assert chosen.person == person
        assert not chosen.candidates
        new = self.match(choice="new")
        assert new.person is None
        assert not new.candidates

    def test_a_choice_outside_the_candidates_asks_again(self) -> None:
        person = self.create_person(phone="0912345678")
        other = self.create_person(phone="0900000000")
        match = self.match(choice=str(other.pk))
        assert match.person is None
        assert match.candidates == (person,)

    def test_a_candidate_with_another_national_id_is_not_offered(self) -> None:
        self.create_person(phone="0912345678", national_id="001080054321")
        match = self.match(national_id="001080012345")
        assert match.person is None
        assert match.candidates == ()

    def test_persons_of_other_areas_are_not_candidates(self) -> None:
        self.create_person(phone="0912345678", ward=self.ward_b1)
        assert self.match().candidates == ()
