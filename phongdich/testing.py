"""The base test case: two districts, wards inside them, a user of every role, and factories.

Modelled on RapidPro's TembaTest: permission-matrix assertions make area scoping cheap to test.
"""

from collections.abc import Iterable
from datetime import date

from django.test import Client, TestCase
from django.urls import reverse

from phongdich.accounts.models import User
from phongdich.accounts.roles import Role
from phongdich.accounts.services import user_create
from phongdich.areas.models import Area
from phongdich.cases.models import Case, TestKind
from phongdich.cases.services import case_register
from phongdich.people.models import Person
from phongdich.people.services import PersonData, person_create

PASSWORD = "Mat-khau-thu-nghiem-2022"  # noqa: S105


class PhongdichTestCase(TestCase):
    province: Area
    district_a: Area  # Quận Ba Đình
    district_b: Area  # Quận Hoàn Kiếm
    ward_a1: Area  # Phường Phúc Xá (Ba Đình)
    ward_a2: Area  # Phường Trúc Bạch (Ba Đình)
    ward_b1: Area  # Phường Phúc Tân (Hoàn Kiếm)

    @classmethod
    def setUpTestData(cls) -> None:
        cls.province = Area.objects.get(code="01")
        cls.district_a = Area.objects.get(code="001")
        cls.district_b = Area.objects.get(code="002")
        cls.ward_a1 = Area.objects.get(code="00001")
        cls.ward_a2 = Area.objects.get(code="00004")
        cls.ward_b1 = Area.objects.get(code="00037")

        def make(username: str, role: Role, area: Area) -> User:
            return user_create(username=username, password=PASSWORD, role=role, area=area, full_name=username)

        cls.steering = make("steering", Role.STEERING, cls.province)
        cls.city_admin = make("city_admin", Role.CITY_ADMIN, cls.province)
        cls.leader = make("leader", Role.LEADER, cls.province)
        cls.hotline = make("hotline", Role.HOTLINE, cls.province)
        cls.district_officer_a = make("district_a", Role.DISTRICT_OFFICER, cls.district_a)
        cls.district_officer_b = make("district_b", Role.DISTRICT_OFFICER, cls.district_b)
        cls.ward_officer_a1 = make("ward_a1", Role.WARD_OFFICER, cls.ward_a1)
        cls.ward_officer_a2 = make("ward_a2", Role.WARD_OFFICER, cls.ward_a2)
        cls.ward_officer_b1 = make("ward_b1", Role.WARD_OFFICER, cls.ward_b1)
        cls.team_member_a1 = make("team_a1", Role.TEAM_MEMBER, cls.ward_a1)
        cls.doctor_a1 = make("doctor_a1", Role.DOCTOR, cls.ward_a1)

    # --- who is who, for permission matrices ----------------------------------------------
    @property
    def everyone(self) -> list[User]:
        return [
            self.steering, self.city_admin, self.leader, self.hotline, self.district_officer_a, self.district_officer_b,
            self.ward_officer_a1, self.ward_officer_a2, self.ward_officer_b1, self.team_member_a1, self.doctor_a1,
        ]  # fmt: skip

    @property
    def seeing_ward_a1(self) -> list[User]:
        return [
            self.steering, self.city_admin, self.leader, self.hotline, self.district_officer_a, self.ward_officer_a1,
            self.team_member_a1, self.doctor_a1,
        ]  # fmt: skip

    @property
    def not_seeing_ward_a1(self) -> list[User]:
        return [self.ward_officer_a2, self.ward_officer_b1, self.district_officer_b]

    @property
    def editors_of_ward_a1(self) -> list[User]:
        return [self.city_admin, self.hotline, self.district_officer_a, self.ward_officer_a1]

    @property
    def readers_only(self) -> list[User]:
        return [self.steering, self.leader, self.team_member_a1, self.doctor_a1]

    # --- factories -------------------------------------------------------------------------

    def create_person(self, *, ward: Area | None = None, **fields: object) -> Person:
        ward = ward or self.ward_a1
        data = PersonData(**{"full_name": "Nguyễn Văn An", "birth_year": 1980, "sex": "M", "ward": ward, **fields})
        return person_create(actor=self.city_admin, data=data)

    def create_case(self, *, ward: Area | None = None, person: Person | None = None, **fields: object) -> Case:
        ward = ward or self.ward_a1
        person = person or self.create_person(ward=ward)
        values = {"confirmed_on": date(2022, 2, 20), "test_kind": TestKind.RT_PCR, **fields}
        return case_register(actor=self.city_admin, person=person, ward=ward, **values)  # type: ignore[arg-type]

    # --- permission-matrix assertions -----------------------------------------------------

    def client_for(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def assert_allowed(self, url: str, users: Iterable[User], *, status: int = 200) -> None:
        for user in users:
            response = self.client_for(user).get(url)
            self.assertEqual(response.status_code, status, f"{user.username} should get {status} for {url}")

    def assert_not_found(self, url: str, users: Iterable[User]) -> None:
        for user in users:
            response = self.client_for(user).get(url)
            self.assertEqual(response.status_code, 404, f"{user.username} should get 404 for {url}")

    def assert_status(self, url: str, users: Iterable[User], status: int, *, method: str = "get") -> None:
        for user in users:
            response = getattr(self.client_for(user), method)(url)
            assert response.status_code == status, f"{user.username} should get {status} for {method} {url}"

    def assert_login_required(self, url: str, *, method: str = "get") -> None:
        response = getattr(Client(), method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def assert_forbidden(self, url: str, users: Iterable[User]) -> None:
        for user in users:
            response = self.client_for(user).get(url)
            self.assertIn(response.status_code, (403, 404), f"{user.username} must not reach {url}")
