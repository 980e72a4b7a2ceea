"""POST /api/v1/triage: any signed-in user, nothing stored, impossible readings refused with 422."""

import json
from datetime import date

from django.test import Client
from django.utils import timezone

from phongdich.accounts.models import User
from phongdich.accounts.services import api_token_create
from phongdich.audit.models import AuditLog
from phongdich.rules.registry import rule_set_in_force
from phongdich.testing import PhongdichTestCase

URL = "/api/v1/triage"


class TriageApiTests(PhongdichTestCase):
    def post(self, user: User | None, data: dict) -> object:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client.post(URL, json.dumps(data), content_type="application/json")

    def test_every_role_may_triage_and_nothing_is_stored(self) -> None:
        audit_rows = AuditLog.objects.count()
        for user in self.everyone:
            response = self.post(user, {"spo2": 98, "resp_rate": 16, "age": 30, "on": "2022-02-10"})
            assert response.status_code == 200, (user.username, response.content)
        assert AuditLog.objects.count() == audit_rows

    def test_anonymous_is_refused(self) -> None:
        assert self.post(None, {"spo2": 98}).status_code == 401

    def test_bearer_token(self) -> None:
        key = api_token_create(user=self.doctor_a1, name="ứng dụng khác")
        response = Client().post(
            URL, json.dumps({"spo2": 98}), content_type="application/json", headers={"Authorization": f"Bearer {key}"}
        )
        assert response.status_code == 200

    def test_result(self) -> None:
        response = self.post(
            self.ward_officer_a1,
            {"spo2": 95, "resp_rate": 40, "pulse": 100, "age": 3, "symptoms": ["fever"], "on": "2022-02-10"},
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["level"] == 2
        assert body["level_label"] == "Khẩn"
        assert body["severity"] == "moderate"
        assert body["severity_label"] == "Trung bình"
        assert body["signs"][:2] == [
            {"code": "spo2", "text": "SpO2 95% ≤ 96%"},
            {"code": "resp_rate", "text": "Nhịp thở 40 lần/phút ≥ 40 (trẻ 1–4 tuổi)"},
        ]
        assert {"code": "fever", "text": "Sốt"} in body["signs"]
        assert body["rule_sets"][0] == {"code": "TRIAGE-261", "label": "QĐ 261/QĐ-BYT (31/01/2022)"}
        assert body["remeasure_spo2"] is True

    def test_age_from_birth_date(self) -> None:
        data = {"resp_rate": 30, "spo2": 98, "on": "2022-02-10"}
        seven = self.post(self.hotline, {**data, "birth_date": "2014-06-01"}).json()
        assert seven["signs"][0]["text"] == "Nhịp thở 30 lần/phút ≥ 30 (trẻ 5–11 tuổi)"
        adult = self.post(self.hotline, {**data, "birth_date": "1990-01-01"}).json()
        assert adult["level"] == 3  # RR > 25: severe

    def test_date_picks_the_rules(self) -> None:
        body = self.post(self.hotline, {"spo2": 95, "resp_rate": 16, "on": "2021-12-01"}).json()
        assert [r["code"] for r in body["rule_sets"]] == ["TRIAGE-4038", "SEVERITY-4689"]
        assert body["signs"][0]["text"] == "SpO2 95% < 96%"

    def test_today_by_default(self) -> None:
        body = self.post(self.hotline, {"spo2": 98}).json()
        assert body["rule_sets"][0]["code"] == rule_set_in_force(kind="triage", on=timezone.localdate()).code

    def test_impossible_vitals_are_422_in_vietnamese(self) -> None:
        response = self.post(self.hotline, {"spo2": 140, "temperature": 60, "pulse": -1})
        assert response.status_code == 422
        body = response.json()
        assert "SpO2 140% không hợp lý" in body["detail"]
        assert set(body["errors"]) == {"spo2", "temperature", "pulse"}

    def test_unknown_symptom_and_bad_dates_are_422(self) -> None:
        response = self.post(self.hotline, {"symptoms": ["khong-co"], "on": "2022-02-10"})
        assert response.status_code == 422
        assert "khong-co" in response.json()["detail"]
        response = self.post(self.hotline, {"spo2": 98, "on": "2020-01-01"})
        assert response.status_code == 422
        assert "01/01/2020" in response.json()["detail"]
        response = self.post(self.hotline, {"birth_date": date(2023, 1, 1).isoformat(), "on": "2022-02-10"})
        assert response.status_code == 422
        assert self.post(self.hotline, {"age": -1}).status_code == 422
