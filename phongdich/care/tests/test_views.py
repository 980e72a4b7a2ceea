from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from phongdich.areas.models import Area
from phongdich.care.models import Dispensing, Facility, Package, Stock, Transfer
from phongdich.care.tests.base import CareTestCase
from phongdich.cases.models import Case, Place

FACILITIES = reverse("care:facilities")
FACILITY_CREATE = reverse("care:facility_create")
STOCK = reverse("care:stock")


class FacilityViewTests(CareTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.facility_a = Facility.objects.create(
            code="A2", name="BV Ba Đình", tier=2, district=cls.district_a, beds=10, occupied=10, icu_beds=4
        )
        cls.facility_b = Facility.objects.create(
            code="B1", name="Cơ sở Hoàn Kiếm", tier=1, district=cls.district_b, beds=20
        )

    def listed(self, user, query: str = "") -> list[str]:  # type: ignore[no-untyped-def]
        response = self.client_for(user).get(FACILITIES + query)
        assert response.status_code == 200
        return [f.name for f in response.context["page"]]

    def test_everybody_sees_every_facility_of_the_city(self) -> None:
        self.assert_login_required(FACILITIES)
        for user in self.everyone:
            assert self.listed(user) == ["Cơ sở Hoàn Kiếm", "BV Ba Đình"], user.username
        response = self.client_for(self.ward_officer_b1).get(FACILITIES)
        self.assertContains(response, "Hết")  # BV Ba Đình is full
        assert [row["free"] for row in response.context["totals"]] == [20, 0]

    def test_filters(self) -> None:
        assert self.listed(self.leader, "?tier=2") == ["BV Ba Đình"]
        assert self.listed(self.leader, f"?district={self.district_b.pk}") == ["Cơ sở Hoàn Kiếm"]

    def test_list_queries_do_not_grow_with_facilities(self) -> None:
        def count() -> int:
            client = self.client_for(self.district_officer_a)
            client.get(FACILITIES)
            with CaptureQueriesContext(connection) as queries:
                client.get(FACILITIES)
            return len(queries)

        before = count()
        for i in range(10):
            district = self.district_a if i % 2 else self.district_b
            Facility.objects.create(code=f"X{i}", name=f"Cơ sở {i}", tier=1 + i % 3, district=district, beds=5)
        assert count() == before

    def test_edit_links_only_for_what_the_user_may_edit(self) -> None:
        edit_a = reverse("care:facility_edit", args=[self.facility_a.pk])
        edit_b = reverse("care:facility_edit", args=[self.facility_b.pk])
        response = self.client_for(self.district_officer_a).get(FACILITIES)
        self.assertContains(response, edit_a)
        self.assertNotContains(response, edit_b)
        self.assertContains(self.client_for(self.city_admin).get(FACILITIES), edit_b)
        self.assertNotContains(self.client_for(self.ward_officer_a1).get(FACILITIES), edit_a)

    def test_create_and_edit_permission_matrix(self) -> None:
        self.assert_allowed(FACILITY_CREATE, [self.city_admin, self.district_officer_a, self.district_officer_b])
        no_perm = [self.steering, self.leader, self.hotline, self.ward_officer_a1, self.team_member_a1, self.doctor_a1]
        self.assert_status(FACILITY_CREATE, no_perm, 403)
        edit_a = reverse("care:facility_edit", args=[self.facility_a.pk])
        self.assert_allowed(edit_a, [self.city_admin, self.district_officer_a])
        self.assert_not_found(edit_a, [self.district_officer_b])
        self.assert_status(edit_a, no_perm, 403)

    def test_create(self) -> None:
        response = self.client_for(self.district_officer_a).post(
            FACILITY_CREATE,
            {"code": "hn-t1-x", "name": "Cơ sở thu dung Ba Đình 2", "tier": 1, "district": self.district_a.pk,
             "beds": 50, "icu_beds": 0, "icu_occupied": 0, "lat": "21.03", "lon": "105.83", "active": "on"},
        )  # fmt: skip
        self.assertRedirects(response, FACILITIES)
        facility = Facility.objects.get(code="HN-T1-X")
        assert (facility.beds, facility.occupied, facility.lat) == (50, 0, 21.03)

    def test_create_in_another_district_is_not_a_choice(self) -> None:
        response = self.client_for(self.district_officer_a).post(
            FACILITY_CREATE, {"code": "X", "name": "X", "tier": 1, "district": self.district_b.pk, "beds": 5,
                              "icu_beds": 0, "icu_occupied": 0},
        )  # fmt: skip
        assert response.status_code == 422
        assert not Facility.objects.filter(code="X").exists()

    def test_edit_refuses_fewer_beds_than_patients(self) -> None:
        url = reverse("care:facility_edit", args=[self.facility_a.pk])
        data = {"code": "A2", "name": "BV Ba Đình", "tier": 2, "district": self.district_a.pk, "beds": 8,
                "icu_beds": 4, "icu_occupied": 0, "active": "on"}  # fmt: skip
        response = self.client_for(self.district_officer_a).post(url, data)
        self.assertContains(response, "không được ít hơn số người đang điều trị", status_code=422)
        response = self.client_for(self.district_officer_a).post(url, {**data, "beds": 12})
        self.assertRedirects(response, FACILITIES)
        self.facility_a.refresh_from_db()
        assert (self.facility_a.beds, self.facility_a.occupied) == (12, 10)


class StockViewTests(CareTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for area in (cls.ward_a1, cls.ward_a2, cls.ward_b1, cls.district_a):
            Stock.objects.create(area=area, package=Package.A, balance=7, received=7)

    def areas_listed(self, user) -> list[str]:  # type: ignore[no-untyped-def]
        response = self.client_for(user).get(STOCK)
        assert response.status_code == 200
        return [line.area.code for line in response.context["lines"]]

    def test_stock_is_scoped_to_the_area(self) -> None:
        self.assert_login_required(STOCK)
        assert self.areas_listed(self.city_admin) == ["001", "00001", "00004", "00037"]
        assert self.areas_listed(self.district_officer_a) == ["001", "00001", "00004"]
        assert self.areas_listed(self.ward_officer_a1) == ["00001"]
        assert self.areas_listed(self.team_member_a1) == ["00001"]
        assert self.areas_listed(self.district_officer_b) == ["00037"]

    def test_receive_permission_matrix(self) -> None:
        data = {"area": self.ward_a1.pk, "package": "C", "kind": "received", "quantity": 5}
        for user in (self.steering, self.leader, self.hotline, self.team_member_a1, self.doctor_a1):
            assert self.client_for(user).post(STOCK, data).status_code == 403, user.username
        for user in (self.city_admin, self.district_officer_a, self.ward_officer_a1):
            self.assertRedirects(self.client_for(user).post(STOCK, data), STOCK)
        assert Stock.objects.get(area=self.ward_a1, package="C").balance == 15
        response = self.client_for(self.ward_officer_b1).post(STOCK, data)
        assert response.status_code == 422  # ward A1 is not one of his choices
        assert Stock.objects.get(area=self.ward_a1, package="C").balance == 15

    def test_adjust_below_zero_shows_the_refusal(self) -> None:
        data = {"area": self.ward_a1.pk, "package": "A", "kind": "adjusted", "quantity": -9, "note": "Kiểm kê"}
        response = self.client_for(self.ward_officer_a1).post(STOCK, data)
        self.assertContains(response, "Tồn kho không đủ để giảm 9 túi", status_code=422)

    def test_stock_page_queries_do_not_grow_with_areas(self) -> None:
        def count() -> int:
            client = self.client_for(self.ward_officer_a1)
            client.get(STOCK)
            with CaptureQueriesContext(connection) as queries:
                client.get(STOCK)
            return len(queries)

        before = count()
        for package in (Package.B, Package.C):
            Stock.objects.create(area=self.ward_a1, package=package, balance=1, received=1)
        assert count() == before
        client = self.client_for(self.city_admin)
        with CaptureQueriesContext(connection) as queries:
            client.get(STOCK)
        city = len(queries)
        for ward in Area.objects.filter(parent=self.district_b).exclude(pk=self.ward_b1.pk)[:10]:
            Stock.objects.create(area=ward, package=Package.A, balance=1, received=1)
        with CaptureQueriesContext(connection) as queries:
            client.get(STOCK)
        assert len(queries) == city


class DispenseViewTests(CareTestCase):
    def setUp(self) -> None:
        self.today = timezone.localdate()
        self.case = self.adult_case(confirmed_on=self.today - timedelta(days=1))
        self.url = reverse("care:dispense", args=[self.case.pk])
        self.stock(self.ward_a1, Package.C, 3)
        self.stock(self.ward_a1, Package.B, 3)

    def test_permission_matrix(self) -> None:
        self.assert_login_required(self.url)
        self.assert_allowed(
            self.url,
            [self.city_admin, self.district_officer_a, self.ward_officer_a1, self.team_member_a1, self.doctor_a1],
        )
        self.assert_not_found(self.url, self.not_seeing_ward_a1)
        self.assert_status(self.url, [self.steering, self.leader, self.hotline], 403)

    def test_page_shows_the_packages_of_the_rule_set_in_force(self) -> None:
        response = self.client_for(self.ward_officer_a1).get(self.url)
        self.assertContains(response, "QĐ 69/QĐ-QLD (17/02/2022)")  # the rule set's label
        self.assertContains(response, "Molnupiravir 200 mg × 40 viên")

    def test_dispense_c(self) -> None:
        response = self.client_for(self.ward_officer_a1).post(self.url, {"package": "C", "consent_signed": "on"})
        self.assertRedirects(response, reverse("cases:detail", args=[self.case.pk]), fetch_redirect_response=False)
        dispensing = Dispensing.objects.get(case=self.case)
        assert (dispensing.package, dispensing.consent_signed, dispensing.from_area) == ("C", True, self.ward_a1)
        assert self.balance(self.ward_a1) == 2

    def test_c_refused_for_a_pregnant_woman_shows_the_reasons(self) -> None:
        pregnant = self.adult_case(
            confirmed_on=self.today, full_name="Trần Thị Mai", birth_date=date(1994, 4, 4), birth_year=1994,
            pregnant=True,
        )  # fmt: skip
        url = reverse("care:dispense", args=[pregnant.pk])
        response = self.client_for(self.ward_officer_a1).post(url, {"package": "C"})
        self.assertContains(response, "Túi thuốc C không dùng cho phụ nữ đang mang thai", status_code=422)
        self.assertContains(response, "Chưa có cam kết đồng ý ký tên", status_code=422)
        assert not Dispensing.objects.exists()
        assert self.balance(self.ward_a1) == 3

    def test_b_needs_a_doctor_and_the_doctor_is_preselected_for_himself(self) -> None:
        response = self.client_for(self.ward_officer_a1).post(self.url, {"package": "B"})
        self.assertContains(response, "Túi thuốc B phải do bác sĩ kê đơn", status_code=422)
        page = self.client_for(self.doctor_a1).get(self.url)
        assert page.context["form"].initial == {"prescribed_by": self.doctor_a1.pk}
        response = self.client_for(self.ward_officer_a1).post(
            self.url, {"package": "B", "prescribed_by": self.doctor_a1.pk}
        )
        assert response.status_code == 302
        assert Dispensing.objects.get(case=self.case).prescribed_by == self.doctor_a1


class TransferViewTests(CareTestCase):
    def setUp(self) -> None:
        self.case = self.create_case()
        self.url = reverse("care:transfer", args=[self.case.pk])
        self.full = self.create_facility("FULL", beds=1, occupied=1, lat=21.046, lon=105.848, name="BV Đầy")
        self.free = self.create_facility("FREE", beds=5, lat=21.05, lon=105.85, name="BV Còn giường")

    def test_permission_matrix(self) -> None:
        self.assert_login_required(self.url)
        self.assert_allowed(self.url, [self.city_admin, self.district_officer_a, self.ward_officer_a1, self.doctor_a1])
        self.assert_not_found(self.url, self.not_seeing_ward_a1)
        self.assert_status(self.url, [self.steering, self.leader, self.hotline, self.team_member_a1], 403)

    def test_full_facility_refused_with_suggestions_then_transfer_and_discharge(self) -> None:
        client = self.client_for(self.ward_officer_a1)
        response = client.post(self.url, {"destination": self.full.pk, "reason": "SpO2 93 %", "version": 1})
        self.assertContains(response, "BV Đầy đã hết giường", status_code=422)
        assert [s.facility for s in response.context["suggestions"]] == [self.free]
        self.assertContains(response, "Chuyển đến đây", status_code=422)
        response = client.post(self.url, {"destination": self.free.pk, "reason": "SpO2 93 %", "version": 1})
        self.assertRedirects(response, reverse("cases:detail", args=[self.case.pk]), fetch_redirect_response=False)
        self.free.refresh_from_db()
        assert self.free.occupied == 1
        page = client.get(self.url)
        self.assertContains(page, "Về nhà (ra viện")
        response = client.post(self.url, {"destination": "home", "reason": "Ổn định", "version": 2})
        assert response.status_code == 302
        self.free.refresh_from_db()
        assert self.free.occupied == 0
        assert Case.objects.get(pk=self.case.pk).place == Place.HOME
        assert list(Transfer.objects.filter(case=self.case).values_list("kind", flat=True).order_by("pk")) == [
            "admit", "discharge",
        ]  # fmt: skip

    def test_stale_page_is_refused(self) -> None:
        response = self.client_for(self.ward_officer_a1).post(
            self.url, {"destination": self.free.pk, "reason": "Chuyển", "version": 7}
        )
        self.assertContains(response, "vừa được người khác cập nhật", status_code=422)
        assert not Transfer.objects.exists()
