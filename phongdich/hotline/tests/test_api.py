from phongdich.hotline.models import Request, Status
from phongdich.hotline.tests.base import HotlineTestCase
from phongdich.tests.test_api import ApiTestCase

URL = "/api/v1/requests"


class RequestApiTests(ApiTestCase, HotlineTestCase):
    def create(self, user, **fields: object):  # type: ignore[no-untyped-def]
        body = {"category": "food", "message": "Cần gạo", "caller_phone": "0912345678",
                "caller_address": "5 ngõ 2 Phúc Xá", **fields}  # fmt: skip
        return self.post_json(self.api(user), f"{URL}/", body)

    def test_create_get_list_transition(self) -> None:
        response = self.create(self.hotline, ward=None)
        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["ward_code"], body["status"], body["category"], body["version"]) == ("00001", "new", "food", 1)
        item_id = body["id"]
        assert self.api(self.ward_officer_a1).get(f"{URL}/{item_id}").json()["code"] == body["code"]
        assert [r["id"] for r in self.api(self.district_officer_a).get(f"{URL}/").json()] == [item_id]
        assert self.api(self.district_officer_b).get(f"{URL}/").json() == []
        answered = self.post_json(self.api(self.ward_officer_a1), f"{URL}/{item_id}/transition",
                                  {"action": "answer", "version": 1, "answer": "Đã mang gạo tới."})  # fmt: skip
        assert answered.status_code == 200, answered.content
        assert (answered.json()["status"], answered.json()["answered_in_time"]) == ("answered", True)
        stale = self.post_json(self.api(self.ward_officer_a1), f"{URL}/{item_id}/transition",
                               {"action": "close", "version": 1})  # fmt: skip
        assert stale.status_code == 422 and "vừa được người khác cập nhật" in stale.json()["detail"]
        done = self.api(self.hotline).get(f"{URL}/?tab=done").json()
        assert [r["id"] for r in done] == [item_id]

    def test_validation_errors(self) -> None:
        response = self.create(self.hotline, caller_phone="", caller_address="")
        assert response.status_code == 422
        assert response.json()["detail"] == "Cần số điện thoại hoặc địa chỉ để liên hệ lại người gửi."
        response = self.create(self.hotline, caller_phone="12")
        assert response.status_code == 422 and "caller_phone" in response.json()["errors"]
        assert self.create(self.hotline, category="khong-co").status_code == 422
        assert self.create(self.ward_officer_a1, ward="00037").status_code == 422
        assert not Request.objects.exists()

    def test_permissions_and_scope(self) -> None:
        assert self.create(self.doctor_a1).status_code == 403
        assert self.create(self.leader).status_code == 403
        item_id = self.create(self.hotline).json()["id"]
        for user in self.not_seeing_ward_a1:
            assert self.api(user).get(f"{URL}/{item_id}").status_code == 404
            response = self.post_json(self.api(user), f"{URL}/{item_id}/transition", {"action": "start", "version": 1})
            assert response.status_code == 404
        assert self.api(self.steering).get(f"{URL}/").status_code == 403
        assert Request.objects.get(pk=item_id).status == Status.NEW

    def test_assign_through_the_api(self) -> None:
        item_id = self.create(self.hotline).json()["id"]
        bad = self.post_json(self.api(self.hotline), f"{URL}/{item_id}/transition",
                             {"action": "assign", "version": 1, "assigned_to_id": self.ward_officer_b1.pk})  # fmt: skip
        assert bad.status_code == 422
        good = self.post_json(self.api(self.hotline), f"{URL}/{item_id}/transition",
                              {"action": "assign", "version": 1, "assigned_to_id": self.team_member_a1.pk})  # fmt: skip
        assert good.json()["assigned_to_id"] == self.team_member_a1.pk
