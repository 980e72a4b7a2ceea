import io
from datetime import date
from unittest.mock import patch

from django.contrib.auth.models import AnonymousUser  # noqa: F401  (documents who reaches the public page)
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from phongdich.support.models import AllowanceRate, Entitlement, Payment
from phongdich.support.tests.scenario import ScenarioTestCase

LIST = reverse("support:list")


def at(day: date):  # type: ignore[no-untyped-def]
    """Freeze "today" for the pages (the services default to timezone.localdate())."""
    return patch("django.utils.timezone.localdate", return_value=day)


class ListAndDetailTests(ScenarioTestCase):
    def names(self, user, query: str = "") -> list[str]:  # type: ignore[no-untyped-def]
        response = self.client_for(user).get(f"{LIST}{query}")
        assert response.status_code == 200
        return [e.full_name for e in response.context["page"]]

    def test_list_is_scoped_with_totals(self) -> None:
        assert self.names(self.ward_officer_a1) == [
            "Hoàng Văn Hải", "Nguyễn Văn Xuân", "Phạm Thị Yến", "Đỗ Văn Zũng",
        ]  # fmt: skip
        assert self.names(self.ward_officer_b1) == ["Lý Văn Vinh", "Lý Văn Vinh"]
        assert len(self.names(self.city_admin)) == 7
        assert self.names(self.city_admin, f"?ward={self.ward_a2.pk}") == ["Vũ Thị Wân"]
        assert self.names(self.ward_officer_a1, "?state=owed") == ["Hoàng Văn Hải", "Đỗ Văn Zũng"]
        totals = self.client_for(self.district_officer_a).get(LIST).context["totals"]
        assert (totals.count, totals.amount, totals.paid, totals.owed) == (5, 10_450_000, 7_650_000, 2_800_000)
        for user in self.everyone:
            assert self.client_for(user).get(LIST).status_code == 200

    def test_list_in_constant_queries(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = self.client_for(self.city_admin)
        client.get(LIST)

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(LIST).status_code == 200
            return len(queries)

        before = count()
        team = self.make_team(ward=self.ward_b1, name="Tổ 9", members=("Một", "Hai", "Ba", "Bốn"))
        for member in team.members.all():
            self.named(ward=self.ward_b1, full_name=member.full_name, phone="", unit_name="Chốt")
        assert count() == before

    def test_detail_matrix(self) -> None:
        url = reverse("support:detail", args=[self.e1.pk])
        self.assert_allowed(url, self.seeing_ward_a1)
        self.assert_not_found(url, self.not_seeing_ward_a1)
        self.assert_login_required(url)
        page = self.client_for(self.ward_officer_a1).get(url).content.decode()
        assert "0911000001" in page and "Huỷ lần chi này" in page

    def test_write_pages_need_payment_edit(self) -> None:
        for name in ("support:create", "support:create_team"):
            url = reverse(name)
            self.assert_allowed(url, [self.city_admin, self.district_officer_a, self.ward_officer_a1])
            self.assert_status(
                url, [self.steering, self.leader, self.hotline, self.team_member_a1, self.doctor_a1], 403
            )


class WriteViewTests(ScenarioTestCase):
    def test_create_named_person(self) -> None:
        client = self.client_for(self.ward_officer_a1)
        body = {
            "rate": self.day_rate.pk, "full_name": "Mai Văn Tâm", "phone": "0987654321", "unit_name": "Chốt số 3",
            "ward": self.ward_a1.pk, "start_on": "01/03/2022", "end_on": "05/03/2022", "days_served": "4",
        }  # fmt: skip
        with at(date(2022, 3, 31)):
            response = client.post(reverse("support:create"), body)
        assert response.status_code == 302
        e = Entitlement.objects.get(full_name="Mai Văn Tâm")
        assert (e.amount, e.days_served, e.created_by) == (600_000, 4, self.ward_officer_a1)

    def test_create_errors_show_on_the_field(self) -> None:
        client = self.client_for(self.ward_officer_a1)
        body = {"rate": self.day_rate.pk, "ward": self.ward_a1.pk, "start_on": "05/03/2022", "end_on": "01/03/2022"}
        with at(date(2022, 3, 31)):
            response = client.post(reverse("support:create"), body)
        assert response.status_code == 422
        errors = response.context["form"].errors
        assert "full_name" in errors
        body["full_name"] = "Mai Văn Tâm"
        with at(date(2022, 3, 31)):
            response = client.post(reverse("support:create"), body)
        assert "Ngày kết thúc phải từ ngày bắt đầu" in response.context["form"].errors["end_on"][0]
        # Another ward's people cannot be chosen.
        body.update(ward=self.ward_b1.pk, end_on="06/03/2022")
        with at(date(2022, 3, 31)):
            response = client.post(reverse("support:create"), body)
        assert response.status_code == 422 and "ward" in response.context["form"].errors

    def test_create_for_team(self) -> None:
        team = self.make_team(name="Tổ 7", members=("Bùi Văn Một", "Bùi Thị Hai"))
        body = {"team": team.pk, "rate": self.month_rate.pk, "start_on": "01/02/2022", "end_on": "28/02/2022"}
        with at(date(2022, 3, 31)):
            response = self.client_for(self.ward_officer_a1).post(reverse("support:create_team"), body)
        assert response.status_code == 302
        assert sorted(Entitlement.objects.filter(team=team).values_list("full_name", "amount")) == [
            ("Bùi Thị Hai", 1_000_000), ("Bùi Văn Một", 1_000_000),
        ]  # fmt: skip
        response = self.client_for(self.ward_officer_a2).post(reverse("support:create_team"), body)
        assert response.status_code == 422  # the team is not in ward A2's choices

    def test_pay_inline_with_htmx(self) -> None:
        url = reverse("support:pay", args=[self.e4.pk])
        client = self.client_for(self.ward_officer_a1)
        body = {"amount": "2000000", "paid_on": "20/03/2022", "voucher": "PC-9", "method": "bank"}
        with at(date(2022, 3, 31)):
            response = client.post(url, body, headers={"HX-Request": "true"})
        assert response.status_code == 200
        assert "vượt quá số còn phải trả" in response.content.decode()
        assert response.content.decode().startswith(f'<tbody id="ent-{self.e4.pk}"')
        body["amount"] = "1800000"
        with at(date(2022, 3, 31)):
            response = client.post(url, body, headers={"HX-Request": "true"})
        assert "Đã ghi chi trả" in response.content.decode() and "Đã trả đủ" in response.content.decode()
        self.e4.refresh_from_db()
        assert self.e4.paid == 1_800_000

    def test_pay_plain_post_and_matrix(self) -> None:
        url = reverse("support:pay", args=[self.e4.pk])
        body = {"amount": "800000", "paid_on": "20/03/2022", "voucher": "PC-9", "method": "cash"}
        for user in (self.ward_officer_b1, self.ward_officer_a2, self.district_officer_b):
            assert self.client_for(user).post(url, body).status_code == 404
        for user in (self.team_member_a1, self.doctor_a1, self.leader, self.hotline):
            assert self.client_for(user).post(url, body).status_code == 403
        assert self.client_for(self.ward_officer_a1).get(url).status_code == 405
        with at(date(2022, 3, 31)):
            response = self.client_for(self.district_officer_a).post(url, body)
        assert response.status_code == 302
        assert Payment.objects.filter(entitlement=self.e4).count() == 1

    def test_cancel_payment_page(self) -> None:
        payment = self.e5.payments.get()
        url = reverse("support:payment_cancel", args=[payment.pk])
        assert self.client_for(self.ward_officer_a1).post(url, {"reason": "x"}).status_code == 404
        response = self.client_for(self.ward_officer_a2).post(url, {"reason": "Sai số chứng từ"})
        assert response.status_code == 302
        self.e5.refresh_from_db()
        assert self.e5.paid == 0


class OwedPublicDeadlineRatesTests(ScenarioTestCase):
    def test_owed_rollup_and_people(self) -> None:
        response = self.client_for(self.city_admin).get(reverse("support:owed"))
        assert [w.ward for w in response.context["wards"]] == [self.ward_b1, self.ward_a1]
        assert response.context["total_owed"] == 5_800_000
        response = self.client_for(self.city_admin).get(reverse("support:owed") + "?order=oldest")
        assert [w.ward for w in response.context["wards"]] == [self.ward_a1, self.ward_b1]
        response = self.client_for(self.ward_officer_a1).get(reverse("support:owed"))
        assert [e.full_name for e in response.context["page"]] == ["Đỗ Văn Zũng", "Hoàng Văn Hải"]

    def test_public_list_shortens_names_and_hides_phones(self) -> None:
        url = reverse("support:public", args=[self.ward_a1.code])
        response = Client().get(url)
        assert response.status_code == 200
        page = response.content.decode()
        for short in ("Nguyễn V. X.", "Phạm T. Y.", "Hoàng V. H.", "Đỗ V. Z."):
            assert short in page
        for secret in ("Nguyễn Văn Xuân", "Xuân", "0911000001", "0912000000", "Lý V. V."):
            assert secret not in page
        assert "NQ 16/NQ-CP (08/02/2021)" in page and "Tổ dân phố 5" in page
        assert Client().get(reverse("support:public", args=["99999"])).status_code == 404
        assert Client().get(reverse("support:public", args=[self.district_a.code])).status_code == 404

    def test_deadline_page_defaults_to_the_eve_of_the_next_tet(self) -> None:
        with at(date(2022, 1, 10)):
            response = self.client_for(self.city_admin).get(reverse("support:deadline"))
        report = response.context["report"]
        assert (report.deadline, report.total.due, report.total.paid) == (date(2022, 1, 31), 12_450_000, 7_950_000)
        response = self.client_for(self.ward_officer_b1).get(
            reverse("support:deadline") + "?deadline=31/01/2022&target=20"
        )
        assert response.context["report"].total.met is True
        response = self.client_for(self.city_admin).get(reverse("support:deadline") + "?deadline=31/02/2022")
        assert response.status_code == 422 and "deadline" in response.context["form"].errors

    def test_deadline_xlsx(self) -> None:
        url = reverse("support:deadline_export") + f"?deadline=31/01/2022&district={self.district_a.pk}"
        response = self.client_for(self.city_admin).get(url)
        assert response["Content-Disposition"] == 'attachment; filename="chi-tra-den-han-20220131.xlsx"'
        rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
        assert [r[1] for r in rows[3:] if r[0]] == ["Cả quận/huyện", "Phường Phúc Xá", "Phường Trúc Bạch", ""]

    def test_rates_pages(self) -> None:
        self.assert_allowed(reverse("support:rates"), self.everyone)
        self.assert_status(reverse("support:rate_create"), [self.district_officer_a, self.ward_officer_a1], 403)
        client = self.client_for(self.city_admin)
        body = {
            "name": "Quà Tết", "beneficiary": "frontline", "unit": "once", "amount": "500000",
            "valid_from": "01/01/2022", "valid_to": "28/02/2022", "document": "QĐ 1/QĐ-UBND",
        }  # fmt: skip
        assert client.post(reverse("support:rate_create"), body).status_code == 302
        rate = AllowanceRate.objects.get(name="Quà Tết")
        edit = reverse("support:rate_edit", args=[rate.pk])
        assert client.post(edit, {**body, "amount": "600000", "action": "update"}).status_code == 302
        # The day rate is in use: editing in place is refused on the form, replacing works.
        edit = reverse("support:rate_edit", args=[self.day_rate.pk])
        body = {**body, "name": "Hỗ trợ người tham gia chống dịch", "unit": "day", "amount": "200000",
                "valid_from": "01/03/2022", "valid_to": ""}  # fmt: skip
        response = client.post(edit, {**body, "action": "update"})
        assert response.status_code == 422 and "chỉ có thể đóng" in str(response.context["form"].errors)
        assert client.post(edit, {**body, "action": "replace"}).status_code == 302
        self.day_rate.refresh_from_db()
        assert self.day_rate.valid_to == date(2022, 2, 28)
        assert AllowanceRate.objects.get(replaces=self.day_rate).amount == 200_000
        response = client.post(edit, {"action": "close", "valid_to": "01/01/2022"})
        assert response.status_code == 422 and "valid_to" in response.context["close_form"].errors
