"""The monitoring API: declarations (token and personal link), the alert queue and handling; who may do what."""

import json
from typing import Any

from django.core.cache import cache
from django.test import Client, override_settings

from phongdich.accounts.models import User
from phongdich.accounts.services import api_token_create
from phongdich.cases.models import AlertLevel, Case, Status
from phongdich.monitoring.models import Alert, AlertAction, AlertStatus, Channel, Declaration
from phongdich.monitoring.services import alert_handle, patient_link_create, patient_link_revoke
from phongdich.monitoring.tests.test_declarations import EMERGENCY, NORMAL, URGENT, MonitoringTestCase

BASE = "/api/v1/monitoring"


class MonitoringApiTestCase(MonitoringTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.case = self.make_case()

    def api(self, user: User) -> Client:
        return Client(headers={"Authorization": f"Bearer {api_token_create(user=user, name='test')}"})

    def post_json(self, client: Client, url: str, data: dict[str, Any]) -> Any:
        return client.post(url, json.dumps(data), content_type="application/json")


class DeclarationApiTests(MonitoringApiTestCase):
    def test_permission_matrix(self) -> None:
        url = f"{BASE}/declarations"
        assert self.post_json(Client(), url, {"case_id": self.case.pk, **NORMAL}).status_code == 401
        for user in (self.steering, self.leader):
            assert self.post_json(self.api(user), url, {"case_id": self.case.pk, **NORMAL}).status_code == 403
        for user in self.not_seeing_ward_a1:
            response = self.post_json(self.api(user), url, {"case_id": self.case.pk, **NORMAL})
            assert response.status_code == 404
            response = self.post_json(self.api(user), url, {"case_code": self.case.code, **NORMAL})
            assert response.status_code == 404
        assert not Declaration.objects.exists()
        for user in (self.hotline, self.team_member_a1, self.doctor_a1, self.district_officer_a):
            assert self.post_json(self.api(user), url, {"case_id": self.case.pk, **NORMAL}).status_code == 201
        assert Declaration.objects.filter(channel=Channel.API).count() == 4

    def test_by_case_code_returns_the_triage(self) -> None:
        response = self.post_json(
            self.api(self.ward_officer_a1), f"{BASE}/declarations", {"case_code": self.case.code.lower(), **URGENT}
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["case_code"] == self.case.code
        assert body["alert_level"] == AlertLevel.URGENT
        assert body["signs"][0]["code"] == "spo2"
        assert body["remeasure_spo2"] is True
        assert body["rule_sets"]
        assert Alert.objects.filter(case=self.case).count() == 1

    def test_impossible_vitals_answer_422_per_field(self) -> None:
        response = self.post_json(
            self.api(self.ward_officer_a1), f"{BASE}/declarations",
            {"case_id": self.case.pk, "spo2": 140, "temperature": 60, "pulse": -3},
        )  # fmt: skip
        assert response.status_code == 422
        assert set(response.json()["errors"]) == {"spo2", "temperature", "pulse"}

    def test_released_case_is_refused_neutrally(self) -> None:
        Case.objects.filter(pk=self.case.pk).update(status=Status.RELEASED)
        response = self.post_json(
            self.api(self.ward_officer_a1), f"{BASE}/declarations", {"case_id": self.case.pk, **NORMAL}
        )
        assert response.status_code == 409
        assert "Không thể ghi nhận khai báo" in response.json()["detail"]


class LinkDeclarationApiTests(MonitoringApiTestCase):
    def test_declares_without_authentication(self) -> None:
        _link, token = patient_link_create(actor=self.ward_officer_a1, case=self.case)
        response = self.post_json(Client(), f"{BASE}/link/{token}/declarations", EMERGENCY)
        assert response.status_code == 201, response.content
        assert response.json()["alert_level"] == AlertLevel.EMERGENCY
        declaration = Declaration.objects.get()
        assert declaration.channel == Channel.LINK and declaration.entered_by is None

    def test_unknown_revoked_released_answer_the_same_404(self) -> None:
        _link, token = patient_link_create(actor=self.ward_officer_a1, case=self.case)
        other = self.make_case(person=self.create_person(full_name="Người Khác"))
        other_link, other_token = patient_link_create(actor=self.ward_officer_a1, case=other)
        patient_link_revoke(actor=self.ward_officer_a1, link=other_link)
        unknown = self.post_json(Client(), f"{BASE}/link/khong-co-0123456789/declarations", NORMAL)
        revoked = self.post_json(Client(), f"{BASE}/link/{other_token}/declarations", NORMAL)
        Case.objects.filter(pk=self.case.pk).update(status=Status.RELEASED)
        released = self.post_json(Client(), f"{BASE}/link/{token}/declarations", NORMAL)
        assert {r.status_code for r in (unknown, revoked, released)} == {404}
        assert unknown.json() == revoked.json() == released.json()
        assert not Declaration.objects.exists()

    @override_settings(PHONGDICH_LINK_RATE_PER_TOKEN=2)
    def test_rate_limited(self) -> None:
        _link, token = patient_link_create(actor=self.ward_officer_a1, case=self.case)
        url = f"{BASE}/link/{token}/declarations"
        assert [self.post_json(Client(), url, NORMAL).status_code for _i in range(3)] == [201, 201, 429]
        assert Declaration.objects.count() == 2


class AlertApiTests(MonitoringApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.declare(self.case, URGENT)
        self.alert = Alert.objects.get(case=self.case)
        person_b1 = self.create_person(ward=self.ward_b1, full_name="Quận B")
        self.case_b1 = self.make_case(ward=self.ward_b1, person=person_b1)
        self.declare(self.case_b1, EMERGENCY, entered_by=self.ward_officer_b1)

    def test_queue_is_scoped(self) -> None:
        assert Client().get(f"{BASE}/alerts").status_code == 401
        for user in self.seeing_ward_a1:
            items = self.api(user).get(f"{BASE}/alerts").json()["items"]
            assert self.alert.pk in [i["id"] for i in items], user.username
        for user in self.not_seeing_ward_a1:
            items = self.api(user).get(f"{BASE}/alerts").json()["items"]
            assert self.alert.pk not in [i["id"] for i in items], user.username
        city = self.api(self.city_admin).get(f"{BASE}/alerts").json()
        assert [i["level"] for i in city["items"]] == [AlertLevel.EMERGENCY, AlertLevel.URGENT]
        first = city["items"][1]
        assert first["case"]["code"] == self.case.code and first["case"]["day_of_illness"] == 3
        assert first["waiting_minutes"] == 0 and first["version"] == 1
        by_ward = self.api(self.city_admin).get(f"{BASE}/alerts", {"ward": self.ward_b1.code}).json()["items"]
        assert [i["case"]["code"] for i in by_ward] == [self.case_b1.code]

    def test_handle_permission_matrix_and_optimistic_lock(self) -> None:
        url = f"{BASE}/alerts/{self.alert.pk}/handle"
        data = {"action": AlertAction.HOME_VISIT, "note": "Đến nhà", "version": 1}
        for user in (self.steering, self.leader, self.hotline):
            assert self.post_json(self.api(user), url, data).status_code == 403
        for user in self.not_seeing_ward_a1:
            assert self.post_json(self.api(user), url, data).status_code == 404
        response = self.post_json(self.api(self.team_member_a1), url, data)
        assert response.status_code == 200, response.content
        assert response.json()["status"] == AlertStatus.HANDLED
        assert response.json()["minutes_to_first_action"] == 0
        stale = self.post_json(self.api(self.ward_officer_a1), url, {**data, "action": AlertAction.CALL_115})
        assert stale.status_code == 409
        assert "tải lại" in stale.json()["detail"]
        self.alert.refresh_from_db()
        assert self.alert.action == AlertAction.HOME_VISIT and self.alert.handled_by == self.team_member_a1

    def test_acknowledge_and_bad_action(self) -> None:
        ack = self.post_json(self.api(self.doctor_a1), f"{BASE}/alerts/{self.alert.pk}/acknowledge", {"version": 1})
        assert ack.status_code == 200 and ack.json()["status"] == AlertStatus.ACKNOWLEDGED
        bad = self.post_json(
            self.api(self.doctor_a1), f"{BASE}/alerts/{self.alert.pk}/handle", {"action": "x", "version": 2}
        )
        assert bad.status_code == 422

    def test_handled_today(self) -> None:
        alert_handle(actor=self.ward_officer_a1, alert=self.alert, action=AlertAction.PACKAGE_C, note="", version=1)
        items = self.api(self.ward_officer_a1).get(f"{BASE}/alerts", {"tab": "handled_today"}).json()["items"]
        assert [i["id"] for i in items] == [self.alert.pk]
        assert items[0]["action"] == AlertAction.PACKAGE_C and items[0]["waiting_minutes"] is None
