from datetime import date, timedelta
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from phongdich.accounts.models import User
from phongdich.cases.models import AgeGroup, Case, Status
from phongdich.cases.selectors import (
    CaseFilters,
    case_counts,
    case_for_user,
    case_list,
    case_recent_counts,
    cases_of_person,
    cases_visible_to,
)
from phongdich.testing import PhongdichTestCase


class CaseScopingTests(PhongdichTestCase):
    def setUp(self) -> None:
        self.case_a1 = self.create_case(ward=self.ward_a1)
        self.case_a2 = self.create_case(ward=self.ward_a2)
        self.case_b1 = self.create_case(ward=self.ward_b1)

    def test_each_user_sees_their_subtree(self) -> None:
        def visible(user: User) -> set[Case]:
            return set(cases_visible_to(user))

        assert visible(self.ward_officer_a1) == {self.case_a1}
        assert visible(self.team_member_a1) == {self.case_a1}
        assert visible(self.district_officer_a) == {self.case_a1, self.case_a2}
        assert visible(self.district_officer_b) == {self.case_b1}
        assert visible(self.steering) == {self.case_a1, self.case_a2, self.case_b1}

    def test_case_for_user_is_404_outside_the_area(self) -> None:
        assert case_for_user(self.ward_officer_a1, self.case_a1.pk) == self.case_a1
        with pytest.raises(Http404):
            case_for_user(self.ward_officer_a2, self.case_a1.pk)
        with pytest.raises(Http404):
            case_for_user(self.district_officer_b, self.case_a1.pk)

    def test_cases_of_person_are_scoped(self) -> None:
        person = self.case_a1.person
        moved = self.create_case(person=person, ward=self.ward_b1, confirmed_on=date(2021, 9, 1))
        assert list(cases_of_person(user=self.city_admin, person=person)) == [self.case_a1, moved]
        assert list(cases_of_person(user=self.ward_officer_a1, person=person)) == [self.case_a1]


class CaseListTests(PhongdichTestCase):
    def listed(self, user: User | None = None, **filters: Any) -> list[Case]:
        return list(case_list(user=user or self.city_admin, filters=CaseFilters(**filters)))

    def test_filters(self) -> None:
        old = self.create_case(person=self.create_person(full_name="Lê Văn Cường", birth_year=1950), ward=self.ward_a2,
                               confirmed_on=date(2022, 1, 5))  # fmt: skip
        young = self.create_case(person=self.create_person(full_name="Phạm Thị Dung", birth_year=2010, sex="F"),
                                 ward=self.ward_b1, confirmed_on=date(2022, 2, 1))  # fmt: skip
        Case.objects.filter(pk=young.pk).update(status=Status.RELEASED)

        assert self.listed(status=Status.RELEASED) == [young]
        assert self.listed(confirmed_from=date(2022, 1, 10)) == [young]
        assert self.listed(confirmed_to=date(2022, 1, 10)) == [old]
        assert self.listed(district_id=self.district_b.pk) == [young]
        assert self.listed(ward_id=self.ward_a2.pk) == [old]
        assert self.listed(age_group=AgeGroup.ELDER) == [old]
        assert self.listed(age_group=AgeGroup.CHILD) == [young]
        assert self.listed(high_risk=True) == [old]
        assert self.listed(high_risk=False) == [young]
        assert self.listed(q="le van cuong") == [old]
        assert self.listed(q="Cường") == [old]
        assert self.listed(q=young.code.lower()) == [young]
        assert self.listed(self.ward_officer_a2) == [old]
        assert self.listed(self.district_officer_a, district_id=self.district_b.pk) == []
        assert self.listed(self.district_officer_a, ward_id=self.ward_b1.pk) == []

    def test_sorts(self) -> None:
        first = self.create_case(person=self.create_person(birth_year=1990), confirmed_on=date(2022, 1, 1))
        second = self.create_case(person=self.create_person(birth_year=1950, phone="0912000002"),
                                  confirmed_on=date(2022, 2, 1))  # fmt: skip
        assert self.listed() == [second, first]
        assert self.listed(sort="confirmed_on") == [first, second]
        assert self.listed(sort="code") == [first, second]
        assert self.listed(sort="-code") == [second, first]
        assert self.listed(sort="age") == [first, second]
        assert self.listed(sort="-age") == [second, first]
        assert self.listed(sort="nonsense") == [second, first]


class CaseCountTests(PhongdichTestCase):
    def test_counts_by_status_and_recent(self) -> None:
        today = timezone.localdate()
        self.create_case(confirmed_on=today)
        self.create_case(person=self.create_person(phone="0912000003"), confirmed_on=today - timedelta(days=6))
        released = self.create_case(
            person=self.create_person(phone="0912000004"), confirmed_on=today - timedelta(days=7)
        )
        self.create_case(ward=self.ward_b1, confirmed_on=today)
        Case.objects.filter(pk=released.pk).update(status=Status.RELEASED)

        assert case_counts(user=self.ward_officer_a1) == {"active": 2, "released": 1, "died": 0}
        assert case_recent_counts(user=self.ward_officer_a1, today=today) == {"today": 1, "week": 2}
        assert case_recent_counts(user=self.city_admin, today=today) == {"today": 2, "week": 3}
