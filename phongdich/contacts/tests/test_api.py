"""The contacts API: record (idempotent), list and get (scoped), checks, tests, convert, tree, what-if plan."""

from datetime import date, timedelta

from django.utils import timezone

from phongdich.contacts.models import Contact
from phongdich.contacts.tests.base import ContactsTestCase
from phongdich.tests.test_api import ApiTestCase

URL = "/api/v1/contacts"


class ContactApiTests(ApiTestCase, ContactsTestCase):
    def setUp(self) -> None:
        self.today = timezone.localdate()
        self.source = self.create_case(
            person=self.create_person(full_name="Trần Văn Nguồn", address="Số 3 Phúc Xá"), confirmed_on=self.today
        )

    def body(self, **extra: object) -> dict:
        return {
            "source_case_id": self.source.pk, "setting": "household", "kind": "masked_near",
            "contacted_on": self.today.isoformat(),
            "person": {"full_name": "Lê Văn Api", "birth": "1990", "phone": "0912000999", "ward_code": "00001",
                       "national_id": "001090000123"},
            **extra,
        }  # fmt: skip

    def test_record_twice_list_get(self) -> None:
        api = self.api(self.team_member_a1)
        first = self.post_json(api, URL, self.body())
        assert first.status_code == 201, first.content
        again = self.post_json(api, URL, self.body())
        assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
        assert again.json()["created"] is False
        assert Contact.objects.count() == 1
        rows = api.get(f"{URL}?source_case={self.source.pk}").json()["items"]
        assert [row["person"]["full_name"] for row in rows] == ["Lê Văn Api"]
        contact_id = first.json()["id"]
        assert api.get(f"{URL}/{contact_id}").json()["quarantine_rule_set"] == "QUARANTINE-1909"
        assert self.api(self.ward_officer_b1).get(f"{URL}/{contact_id}").status_code == 404
        assert self.api(self.ward_officer_b1).get(URL).json()["items"] == []
        assert self.post_json(self.api(self.doctor_a1), URL, self.body()).status_code == 403
        bad = self.post_json(api, URL, self.body(contacted_on=(self.today + timedelta(days=1)).isoformat()))
        assert bad.status_code == 422 and "sau hôm nay" in bad.json()["detail"]

    def test_checks_tests_convert_tree(self) -> None:
        api = self.api(self.ward_officer_a1)
        contact_id = self.post_json(api, URL, self.body()).json()["id"]
        check = self.post_json(
            api, f"{URL}/{contact_id}/checks", {"checked_on": self.today.isoformat(), "symptoms": ["fever", "cough"]}
        )
        assert check.status_code == 201 and check.json()["suspected"] is True
        assert len(api.get(f"{URL}/{contact_id}/checks").json()) == 1
        bad = self.post_json(
            api, f"{URL}/{contact_id}/checks", {"checked_on": self.today.isoformat(), "symptoms": ["x"]}
        )
        assert bad.status_code == 422
        test = self.post_json(
            api, f"{URL}/{contact_id}/tests", {"tested_on": self.today.isoformat(), "kind": "rt_pcr", "positive": True}
        )
        assert test.status_code == 201
        assert api.get(f"{URL}/{contact_id}/tests").json()[0]["positive"] is True
        version = api.get(f"{URL}/{contact_id}").json()["version"]
        assert (
            self.post_json(
                self.api(self.team_member_a1), f"{URL}/{contact_id}/convert", {"expected_version": version}
            ).status_code
            == 403
        )
        converted = self.post_json(api, f"{URL}/{contact_id}/convert", {"expected_version": version})
        assert converted.status_code == 201, converted.content
        tree = api.get(f"{URL}/tree?case={self.source.pk}").json()
        assert {node["kind"] for node in tree["nodes"]} == {"f0"} and len(tree["edges"]) == 1
        assert api.get(f"{URL}/tree").status_code == 422
        assert self.api(self.ward_officer_b1).get(f"{URL}/tree?case={self.source.pk}").status_code == 404

    def test_what_if_plan_stores_nothing(self) -> None:
        api = self.api(self.leader)
        plan = self.post_json(
            api, f"{URL}/quarantine-plan", {"contacted_on": "2022-02-21", "doses": 2, "last_dose_on": "2021-12-01"}
        )
        assert plan.status_code == 200
        body = plan.json()
        assert (body["rule_set"], body["quarantine_until"], body["test_days"], body["fully_vaccinated"]) == (
            "QUARANTINE-762", "2022-02-25", ["2022-02-25"], True,
        )  # fmt: skip
        unknown = self.post_json(api, f"{URL}/quarantine-plan", {"contacted_on": "2021-12-20"}).json()
        assert unknown["quarantine_until"] == "2022-01-02" and "Chưa rõ" in unknown["reasons"][0]
        too_early = self.post_json(api, f"{URL}/quarantine-plan", {"contacted_on": date(2021, 7, 1).isoformat()})
        assert too_early.status_code == 422
        assert Contact.objects.count() == 0
