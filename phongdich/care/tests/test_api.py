from datetime import date, timedelta
from io import StringIO

from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from phongdich.accounts.roles import Role
from phongdich.accounts.services import user_create
from phongdich.care.models import Dispensing, Facility, Package, Stock, Transfer
from phongdich.care.tests.base import CareTestCase
from phongdich.cases.models import Case, Place
from phongdich.tests.test_api import ApiTestCase

CARE = "/api/v1/care"


class CareApiTests(ApiTestCase, CareTestCase):
    def setUp(self) -> None:
        self.case = self.adult_case(confirmed_on=timezone.localdate() - timedelta(days=1))
        self.full = self.create_facility("FULL", beds=1, occupied=1, lat=21.046, lon=105.848, name="BV Đầy")
        self.free = self.create_facility("FREE", beds=5, lat=21.05, lon=105.85, name="BV Còn giường")

    def test_facilities_with_free_beds_for_everybody(self) -> None:
        assert self.client.get(f"{CARE}/facilities").status_code == 401
        for user in (self.leader, self.ward_officer_b1, self.team_member_a1):
            rows = self.api(user).get(f"{CARE}/facilities").json()
            assert [(r["code"], r["free_beds"], r["district_code"]) for r in rows] == [
                ("FREE", 5, "001"),
                ("FULL", 0, "001"),
            ]
        assert self.api(self.leader).get(f"{CARE}/facilities?district=2").json() == []
        response = self.api(self.leader).get(f"{CARE}/facilities?district=999")
        assert response.status_code == 422

    def transfer(self, user, case_id: int, facility_id: int | None, **extra: object):  # type: ignore[no-untyped-def]
        body = {"facility_id": facility_id, "reason": "Khó thở", **extra}
        return self.post_json(self.api(user), f"{CARE}/cases/{case_id}/transfer", body)

    def test_transfer_full_then_free_then_home(self) -> None:
        response = self.transfer(self.ward_officer_a1, self.case.pk, self.full.pk)
        assert response.status_code == 422
        body = response.json()
        assert "BV Đầy đã hết giường" in body["detail"]
        assert [(s["id"], s["free_beds"], s["tier"]) for s in body["suggestions"]] == [(self.free.pk, 5, 2)]
        assert body["suggestions"][0]["distance_km"] == 0.4
        response = self.transfer(self.doctor_a1, self.case.pk, self.free.pk, expected_version=1)
        assert response.status_code == 201, response.content
        assert (response.json()["kind"], response.json()["to_facility_id"]) == ("admit", self.free.pk)
        stale = self.transfer(self.doctor_a1, self.case.pk, None, expected_version=1)
        assert stale.status_code == 422 and "vừa được người khác cập nhật" in stale.json()["detail"]
        home = self.transfer(self.doctor_a1, self.case.pk, None, expected_version=2)
        assert home.status_code == 201 and home.json()["kind"] == "discharge"
        assert Case.objects.get(pk=self.case.pk).place == Place.HOME
        assert Facility.objects.get(pk=self.free.pk).occupied == 0

    def test_transfer_permission_matrix(self) -> None:
        for user in (self.team_member_a1, self.leader, self.steering, self.hotline):
            assert self.transfer(user, self.case.pk, self.free.pk).status_code == 403, user.username
        for user in self.not_seeing_ward_a1:
            assert self.transfer(user, self.case.pk, self.free.pk).status_code == 404, user.username
        assert self.transfer(self.ward_officer_a1, self.case.pk, 999999).status_code == 422
        assert not Transfer.objects.exists()

    def dispense(self, user, case_id: int, **body: object):  # type: ignore[no-untyped-def]
        return self.post_json(self.api(user), f"{CARE}/cases/{case_id}/dispense", body)

    def test_dispense(self) -> None:
        self.stock(self.district_a, Package.C, 2)
        refused = self.dispense(self.ward_officer_a1, self.case.pk, package="C")
        assert refused.status_code == 422
        assert "consent_signed" in refused.json()["errors"]
        response = self.dispense(self.ward_officer_a1, self.case.pk, package="C", consent_signed=True)
        assert response.status_code == 201, response.content
        assert (response.json()["from_area_code"], response.json()["rule_set"]) == (
            "001", "HN-TUI-THUOC-QD-69-QLD-2022-02-17",
        )  # fmt: skip
        pregnant = self.adult_case(
            confirmed_on=timezone.localdate(), full_name="Lê Thị Hoa", birth_date=date(1996, 1, 1), birth_year=1996,
            pregnant=True,
        )  # fmt: skip
        response = self.dispense(self.ward_officer_a1, pregnant.pk, package="C", consent_signed=True)
        assert response.status_code == 422
        assert "Túi thuốc C không dùng cho phụ nữ đang mang thai" in response.json()["detail"]

    def test_dispense_b_needs_a_doctor_of_the_area(self) -> None:
        self.stock(self.ward_a1, Package.B, 2)
        doctor_b = user_create(username="doctor_b1", password=None, role=Role.DOCTOR, area=self.ward_b1)
        response = self.dispense(self.ward_officer_a1, self.case.pk, package="B", prescribed_by_id=doctor_b.pk)
        assert response.status_code == 422 and "prescribed_by_id" in response.json()["errors"]
        response = self.dispense(self.ward_officer_a1, self.case.pk, package="B", prescribed_by_id=self.doctor_a1.pk)
        assert response.status_code == 201, response.content
        assert Dispensing.objects.get().prescribed_by == self.doctor_a1

    def test_dispense_permission_matrix(self) -> None:
        self.stock(self.ward_a1, Package.A, 5)
        for user in (self.leader, self.steering, self.hotline):
            assert self.dispense(user, self.case.pk, package="A").status_code == 403, user.username
        for user in self.not_seeing_ward_a1:
            assert self.dispense(user, self.case.pk, package="A").status_code == 404, user.username
        assert self.dispense(self.team_member_a1, self.case.pk, package="A").status_code == 201
        assert self.dispense(self.team_member_a1, self.case.pk, package="Z").status_code == 422

    def test_stock_is_scoped(self) -> None:
        self.stock(self.ward_a1, Package.A, 5)
        self.stock(self.ward_b1, Package.A, 6)
        rows = self.api(self.ward_officer_a1).get(f"{CARE}/stock").json()
        assert rows == [
            {"area_code": "00001", "area_name": "Phường Phúc Xá", "package": "A", "balance": 5, "received": 5,
             "dispensed": 0, "adjusted": 0},
        ]  # fmt: skip
        assert len(self.api(self.city_admin).get(f"{CARE}/stock").json()) == 2


class SeedCareTests(CareTestCase):
    def test_seed_is_idempotent(self) -> None:
        call_command("seed_care", stdout=StringIO())
        facilities, stocks = Facility.objects.count(), Stock.objects.count()
        assert facilities == 15
        assert set(Facility.objects.values_list("tier", flat=True)) == {1, 2, 3}
        assert Facility.objects.filter(occupied__gte=F("beds")).count() == 1  # one full, for the demo
        call_command("seed_care", stdout=StringIO())
        assert (Facility.objects.count(), Stock.objects.count()) == (facilities, stocks)
        assert Stock.objects.get(area=self.ward_a1, package="C").balance == 10
