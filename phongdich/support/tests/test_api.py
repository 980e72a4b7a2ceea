from datetime import date
from io import StringIO
from unittest.mock import patch

from django.core.management import call_command

from phongdich.support.models import AllowanceRate, Entitlement, Payment
from phongdich.support.tests.scenario import ScenarioTestCase
from phongdich.tests.test_api import ApiTestCase

SUPPORT = "/api/v1/support"


class SupportApiTests(ApiTestCase, ScenarioTestCase):
    def test_entitlements_scoped_and_filtered(self) -> None:
        assert self.client.get(f"{SUPPORT}/entitlements").status_code == 401
        body = self.api(self.ward_officer_b1).get(f"{SUPPORT}/entitlements").json()
        assert body["count"] == 2
        assert {(i["full_name"], i["owed"], i["ward_code"]) for i in body["items"]} == {
            ("Lý Văn Vinh", 3_000_000, "00037"), ("Lý Văn Vinh", 0, "00037"),
        }  # fmt: skip
        body = self.api(self.leader).get(f"{SUPPORT}/entitlements?ward=00001&state=owed").json()
        assert sorted((i["full_name"], i["amount"], i["paid"], i["owed"]) for i in body["items"]) == [
            ("Hoàng Văn Hải", 1_000_000, 0, 1_000_000), ("Đỗ Văn Zũng", 1_800_000, 0, 1_800_000),
        ]  # fmt: skip
        response = self.api(self.ward_officer_b1).get(f"{SUPPORT}/entitlements?ward=00001")
        assert response.status_code == 422 and "00001" in response.json()["detail"]

    def test_owed_by_ward(self) -> None:
        rows = self.api(self.steering).get(f"{SUPPORT}/owed").json()
        assert [(r["ward_code"], r["people"], r["owed"], r["oldest_end_on"]) for r in rows] == [
            ("00037", 1, 3_000_000, "2022-01-20"), ("00001", 2, 2_800_000, "2021-12-31"),
        ]  # fmt: skip
        rows = self.api(self.steering).get(f"{SUPPORT}/owed?order=oldest&district=001").json()
        assert [r["ward_code"] for r in rows] == ["00001"]

    def pay_api(self, user, entitlement_id: int, amount: int):  # type: ignore[no-untyped-def]
        body = {"amount": amount, "paid_on": "2022-03-01", "voucher": "UNC-15", "method": "bank"}
        with patch("django.utils.timezone.localdate", return_value=date(2022, 3, 31)):
            return self.post_json(self.api(user), f"{SUPPORT}/entitlements/{entitlement_id}/payments", body)

    def test_record_payment_matrix_and_overpayment(self) -> None:
        for user in (self.team_member_a1, self.leader, self.hotline, self.doctor_a1):
            assert self.pay_api(user, self.e4.pk, 1000).status_code == 403
        for user in self.not_seeing_ward_a1:
            assert self.pay_api(user, self.e4.pk, 1000).status_code == 404
        response = self.pay_api(self.ward_officer_a1, self.e4.pk, 1_900_000)
        assert response.status_code == 422
        assert response.json()["detail"] == (
            "Số tiền 1.900.000 đồng vượt quá số còn phải trả cho Đỗ Văn Zũng (1.800.000 đồng)."
        )
        response = self.pay_api(self.ward_officer_a1, self.e4.pk, 1_000_000)
        assert response.status_code == 201, response.content
        assert (response.json()["entitlement_paid"], response.json()["entitlement_owed"]) == (1_000_000, 800_000)
        payment_id = response.json()["id"]
        url = f"{SUPPORT}/payments/{payment_id}/cancel"
        assert self.post_json(self.api(self.ward_officer_b1), url, {"reason": "x"}).status_code == 404
        response = self.post_json(self.api(self.ward_officer_a1), url, {"reason": "Sai người"})
        assert response.status_code == 200 and response.json()["entitlement_owed"] == 1_800_000
        assert self.post_json(self.api(self.ward_officer_a1), url, {"reason": "Lần nữa"}).status_code == 422

    def test_bad_payload(self) -> None:
        response = self.pay_api(self.ward_officer_a1, self.e4.pk, 0)
        assert response.status_code == 422 and "amount" in response.json()["detail"]


class SeedSupportTests(ScenarioTestCase):
    def test_seed_support_is_idempotent(self) -> None:
        from phongdich.cases.management.commands.seed_demo import Command as SeedDemo

        demo = SeedDemo()
        demo.load_users()
        demo.load_teams()
        before = Entitlement.objects.count()
        out = StringIO()
        call_command("seed_support", stdout=out)
        made = Entitlement.objects.count() - before
        # 3 demo teams of one member each: home care 2 periods, community 2, mobile 1; plus 6 front-line people.
        assert made == 11
        assert (
            Payment.objects.filter(entitlement__created_by__username="admin").count() == 9
        )  # every 4th new entitlement is left unpaid
        phuc_xa = Entitlement.objects.filter(created_by__username="admin", ward__code="00001")
        assert phuc_xa.count() == 5 and {e.team.name for e in phuc_xa} == {
            "Tổ hỗ trợ F0 tại nhà số 1", "Tổ Covid cộng đồng tổ dân phố 5", "Trạm y tế lưu động Phúc Xá",
        }  # fmt: skip
        call_command("seed_support", stdout=out)
        assert Entitlement.objects.count() - before == 11
        assert (
            Payment.objects.filter(entitlement__created_by__username="admin").count() == 9
        )  # every 4th new entitlement is left unpaid
        assert AllowanceRate.objects.filter(code="hn-community-team-month").exists()
        assert "Khoản được hưởng mới: 0; lần chi trả mới: 0." in out.getvalue()
