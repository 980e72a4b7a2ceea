"""The JSON API: authentication, the permission matrix of every endpoint, writes with their audit rows."""

import json
from datetime import date, timedelta
from io import StringIO

from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from phongdich.accounts.models import ApiToken, User
from phongdich.accounts.services import api_token_create
from phongdich.audit.models import AuditLog, Event
from phongdich.cases.models import Case, Status
from phongdich.people.models import Person
from phongdich.testing import PhongdichTestCase

PERSONS = "/api/v1/persons"
CASES = "/api/v1/cases"


class ApiTestCase(PhongdichTestCase):
    def api(self, user: User) -> Client:
        """A client that authenticates with a fresh bearer token of `user` (no session)."""
        return Client(headers={"Authorization": f"Bearer {api_token_create(user=user, name='test')}"})

    def post_json(self, client: Client, url: str, data: dict) -> object:
        return client.post(url, json.dumps(data), content_type="application/json")


class TokenAuthTests(ApiTestCase):
    def test_valid_token_authenticates_and_records_use(self) -> None:
        key = api_token_create(user=self.ward_officer_a1, name="hệ thống báo cáo")
        response = Client().get(PERSONS, headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 200
        token = ApiToken.objects.get(user=self.ward_officer_a1)
        assert token.last_used_at is not None
        assert token.key_hash != key

    def test_invalid_token(self) -> None:
        response = Client().get(PERSONS, headers={"Authorization": "Bearer khong-dung"})
        assert response.status_code == 401
        assert "khoá API" in response.json()["detail"]

    def test_no_token(self) -> None:
        assert Client().get(PERSONS).status_code == 401
        assert Client().get(f"{CASES}/1").status_code == 401
        response = self.post_json(Client(), CASES, {})
        assert response.status_code == 401

    def test_token_of_an_inactive_user(self) -> None:
        key = api_token_create(user=self.ward_officer_a1, name="x")
        User.objects.filter(pk=self.ward_officer_a1.pk).update(is_active=False)
        assert Client().get(PERSONS, headers={"Authorization": f"Bearer {key}"}).status_code == 401

    def test_session_needs_csrf_for_writes(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.ward_officer_a1)
        assert client.get(PERSONS).status_code == 200
        data = {"full_name": "Lê Thị Hoa", "birth": "1990", "ward_code": "00001"}
        response = self.post_json(client, PERSONS, data)
        assert response.status_code == 403
        assert not Person.objects.filter(full_name="Lê Thị Hoa").exists()
        assert "CSRF" in response.json()["detail"]
        client.get("/dia-ban/dan-so/")  # a page with {% csrf_token %} sets the cookie
        csrf_value = client.cookies["csrftoken"].value
        response = client.post(
            PERSONS, json.dumps(data), content_type="application/json", headers={"X-CSRFToken": csrf_value}
        )
        assert response.status_code == 201, response.content

    def test_create_api_token_command(self) -> None:
        out, err = StringIO(), StringIO()
        call_command("create_api_token", "--user", "ward_a1", "--name", "Sở Y tế", stdout=out, stderr=err)
        key = out.getvalue().strip()
        assert ApiToken.objects.get(name="Sở Y tế").key_hash == ApiToken.hash(key)
        assert Client().get(PERSONS, headers={"Authorization": f"Bearer {key}"}).status_code == 200

    def test_create_api_token_command_unknown_user(self) -> None:
        try:
            call_command("create_api_token", "--user", "khong-co", "--name", "x", stdout=StringIO())
        except CommandError as error:
            assert "khong-co" in str(error)
        else:
            raise AssertionError("CommandError expected")


class OpenApiTests(ApiTestCase):
    def test_schema_lists_the_paths(self) -> None:
        response = Client().get("/api/openapi.json")
        assert response.status_code == 200
        paths = response.json()["paths"]
        for path in ("/api/v1/persons", "/api/v1/persons/{person_id}", "/api/v1/cases", "/api/v1/cases/{case_id}"):
            assert path in paths
        assert set(paths["/api/v1/cases"]) == {"get", "post"}
        schemas = response.json()["components"]["schemas"]
        assert {"CaseDetailOut", "CaseCreateIn", "PersonDetailOut", "PersonCreateIn"} <= set(schemas)
        assert Client().get("/api/docs").status_code == 200


class PersonApiTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.person_a1 = Person.objects.create(
            full_name="Nguyễn Văn An", name_search="nguyen van an", ward=cls.ward_a1, phone="0912345678",
            national_id="001080012345", birth_year=1980,
        )  # fmt: skip
        cls.person_a2 = Person.objects.create(full_name="Trần Thị Bình", name_search="tran thi binh", ward=cls.ward_a2)
        cls.person_b1 = Person.objects.create(full_name="Lê Văn Cường", name_search="le van cuong", ward=cls.ward_b1)

    def listed(self, user: User, query: str = "") -> set[str]:
        response = self.api(user).get(PERSONS + query)
        assert response.status_code == 200, response.content
        return {item["full_name"] for item in response.json()["items"]}

    def test_list_is_scoped(self) -> None:
        assert self.listed(self.ward_officer_a1) == {"Nguyễn Văn An"}
        assert self.listed(self.ward_officer_a2) == {"Trần Thị Bình"}
        assert self.listed(self.district_officer_a) == {"Nguyễn Văn An", "Trần Thị Bình"}
        assert self.listed(self.steering) == {"Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"}

    def test_search_by_name_without_diacritics_phone_and_id(self) -> None:
        assert self.listed(self.steering, "?q=nguyen van") == {"Nguyễn Văn An"}
        assert self.listed(self.steering, "?q=%2B84912345678") == {"Nguyễn Văn An"}
        assert self.listed(self.steering, "?q=001080012345") == {"Nguyễn Văn An"}
        assert self.listed(self.ward_officer_b1, "?q=nguyen") == set()

    def test_list_is_paginated_with_count(self) -> None:
        response = self.api(self.steering).get(PERSONS, {"page": 2, "page_size": 2})
        body = response.json()
        assert body["count"] == 3
        assert [p["full_name"] for p in body["items"]] == ["Nguyễn Văn An"]
        assert body["items"][0]["ward"] == {
            "code": "00001", "name": "Phường Phúc Xá", "district_code": "001", "district_name": "Quận Ba Đình",
        }  # fmt: skip

    def test_detail_permission_matrix(self) -> None:
        url = f"{PERSONS}/{self.person_a1.pk}"
        for user in (self.ward_officer_a1, self.district_officer_a, self.steering, self.team_member_a1):
            response = self.api(user).get(url)
            assert response.status_code == 200, user.username
            assert response.json()["national_id"] == "001080012345"
        for user in (self.ward_officer_a2, self.ward_officer_b1, self.district_officer_b):
            response = self.api(user).get(url)
            assert response.status_code == 404, user.username
            assert response.json()["detail"] == "Không tìm thấy, hoặc nằm ngoài địa bàn của bạn."
        assert self.api(self.steering).get(f"{PERSONS}/999999").status_code == 404

    def test_create_parses_identity_and_audits(self) -> None:
        data = {
            "full_name": "Phạm  Thị Dung", "birth": "05/06/1990", "sex": "Nữ", "national_id": "001190 012345",
            "phone": "+84 98 765 4321", "address": "12 Hàng Bún", "ward_code": "1", "conditions": ["asthma"],
        }  # fmt: skip
        response = self.post_json(self.api(self.ward_officer_a1), PERSONS, data)
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["full_name"] == "Phạm Thị Dung"
        assert body["birth_date"] == "1990-06-05"
        assert body["sex"] == "F"
        assert body["national_id"] == "001190012345"
        assert body["phone"] == "0987654321"
        assert body["ward"]["code"] == "00001"
        assert body["conditions"] == ["asthma"]
        assert body["warnings"] == []
        log = AuditLog.objects.get(target_type="person", target_id=body["id"])
        assert log.event == Event.CREATE
        assert log.actor == self.ward_officer_a1

    def test_create_warns_when_cccd_disagrees(self) -> None:
        data = {"full_name": "Phạm Văn E", "birth": 1985, "national_id": "001080099999", "ward_code": "00001"}
        response = self.post_json(self.api(self.ward_officer_a1), PERSONS, data)
        assert response.status_code == 201
        assert "1980" in response.json()["warnings"][0]

    def test_create_permission(self) -> None:
        data = {"full_name": "Lê Thị Hoa", "ward_code": "00001"}
        for user in (self.steering, self.leader, self.team_member_a1, self.doctor_a1):
            response = self.post_json(self.api(user), PERSONS, data)
            assert response.status_code == 403, user.username
            assert "không được phép" in response.json()["detail"]
        assert not Person.objects.filter(full_name="Lê Thị Hoa").exists()

    def test_create_invalid_data_is_422_in_vietnamese(self) -> None:
        client = self.api(self.ward_officer_a1)
        response = self.post_json(client, PERSONS, {"full_name": "Lê Thị Hoa", "phone": "12345", "ward_code": "00037"})
        assert response.status_code == 422
        body = response.json()
        assert "Số điện thoại" in body["detail"]
        assert "00037" in body["detail"]
        assert set(body["errors"]) == {"phone", "ward_code"}
        response = self.post_json(
            client, PERSONS, {"full_name": "X", "ward_code": "00001", "national_id": "001080012345"}
        )
        assert response.status_code == 422
        assert "001080012345" in response.json()["detail"]
        response = self.post_json(client, PERSONS, {"ward_code": "00001", "pregnant": "có lẽ"})
        assert response.status_code == 422
        assert response.json()["detail"].startswith("Dữ liệu gửi lên không hợp lệ ở: full_name, pregnant")
        response = client.post(PERSONS, "{không phải json", content_type="application/json")
        assert response.status_code in (400, 422)
        assert not AuditLog.objects.filter(target_type="person").exists()


class CaseApiTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.case_a1 = cls.create_case_for(cls, ward=cls.ward_a1, name="Nguyễn Văn An", birth_year=1960)
        cls.case_a2 = cls.create_case_for(cls, ward=cls.ward_a2, name="Trần Thị Bình", birth_year=2000)
        cls.case_b1 = cls.create_case_for(cls, ward=cls.ward_b1, name="Lê Văn Cường", birth_year=1990)
        Case.objects.filter(pk=cls.case_a2.pk).update(status=Status.RELEASED, confirmed_on=date(2022, 2, 25))

    def create_case_for(self, *, ward, name: str, birth_year: int) -> Case:  # type: ignore[no-untyped-def]
        from phongdich.cases.models import TestKind as Kind
        from phongdich.cases.services import case_register
        from phongdich.people.services import PersonData, person_create

        person = person_create(actor=self.city_admin, data=PersonData(full_name=name, birth_year=birth_year, ward=ward))
        return case_register(
            actor=self.city_admin, person=person, ward=ward, confirmed_on=date(2022, 2, 20), test_kind=Kind.RT_PCR
        )

    def codes(self, user: User, params: dict | None = None) -> list[str]:
        response = self.api(user).get(CASES, params or {})
        assert response.status_code == 200, response.content
        return [item["code"] for item in response.json()["items"]]

    def test_list_is_scoped(self) -> None:
        assert self.codes(self.ward_officer_a1) == [self.case_a1.code]
        assert self.codes(self.ward_officer_b1) == [self.case_b1.code]
        assert set(self.codes(self.district_officer_a)) == {self.case_a1.code, self.case_a2.code}
        assert len(self.codes(self.leader)) == 3

    def test_list_filters_like_the_ui(self) -> None:
        city = self.steering
        assert self.codes(city, {"status": "released"}) == [self.case_a2.code]
        assert self.codes(city, {"ward": "00037"}) == [self.case_b1.code]
        assert set(self.codes(city, {"district": "001"})) == {self.case_a1.code, self.case_a2.code}
        assert self.codes(city, {"confirmed_from": "2022-02-21"}) == [self.case_a2.code]
        assert set(self.codes(city, {"confirmed_to": "2022-02-20"})) == {self.case_a1.code, self.case_b1.code}
        assert self.codes(city, {"age_group": "50-64"}) == [self.case_a1.code]
        assert self.codes(city, {"high_risk": "true"}) == [self.case_a1.code]
        assert self.codes(city, {"q": "le van"}) == [self.case_b1.code]
        assert self.codes(city, {"q": self.case_a2.code}) == [self.case_a2.code]
        assert self.codes(city, {"sort": "age"})[0] == self.case_a2.code

    def test_list_count_and_pages(self) -> None:
        body = self.api(self.steering).get(CASES, {"page_size": 2, "sort": "code"}).json()
        assert body["count"] == 3
        assert len(body["items"]) == 2
        item = body["items"][0]
        assert set(item) == {"id", "code", "person", "ward", "confirmed_on", "status", "age", "age_group", "high_risk"}

    def test_list_invalid_filters_are_422(self) -> None:
        client = self.api(self.ward_officer_a1)
        response = client.get(CASES, {"ward": "00037"})
        assert response.status_code == 422
        assert "00037" in response.json()["detail"]
        response = client.get(CASES, {"status": "unknown", "sort": "x"})
        assert response.status_code == 422
        assert "status" in response.json()["detail"]
        assert "sort" in response.json()["detail"]

    def test_detail_permission_matrix(self) -> None:
        url = f"{CASES}/{self.case_a1.pk}"
        for user in (self.ward_officer_a1, self.district_officer_a, self.city_admin, self.doctor_a1, self.hotline):
            response = self.api(user).get(url)
            assert response.status_code == 200, user.username
            assert response.json()["code"] == self.case_a1.code
        for user in (self.ward_officer_a2, self.ward_officer_b1, self.district_officer_b):
            assert self.api(user).get(url).status_code == 404, user.username

    def test_create_for_a_known_person(self) -> None:
        person = self.case_a1.person
        data = {"person_id": person.pk, "confirmed_on": "2022-03-20", "test_kind": "rapid_antigen", "source": "f1"}
        response = self.post_json(self.api(self.ward_officer_a1), CASES, data)
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["person"]["id"] == person.pk
        assert body["ward"]["code"] == "00001"
        assert body["source"] == "f1"
        assert AuditLog.objects.filter(target_type="case", target_id=body["id"], event=Event.CREATE).exists()

    def test_create_with_a_new_person(self) -> None:
        data = {
            "person": {"full_name": "Đỗ Văn Giang", "birth": "1970", "sex": "Nam", "phone": "0903123456", "ward_code": "00004"},
            "confirmed_on": "2022-03-01", "test_kind": "rt_pcr",
        }  # fmt: skip
        response = self.post_json(self.api(self.district_officer_a), CASES, data)
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["ward"]["code"] == "00004"
        assert body["high_risk"] is True
        assert body["person"]["phone"] == "0903123456"
        person = Person.objects.get(pk=body["person"]["id"])
        assert AuditLog.objects.filter(target_type="person", target_id=person.pk, event=Event.CREATE).exists()
        assert AuditLog.objects.filter(target_type="case", target_id=body["id"], event=Event.CREATE).exists()

    def test_create_reuses_the_person_with_the_same_cccd(self) -> None:
        client = self.api(self.ward_officer_a1)
        first = {"person": {"full_name": "Vũ Thị Hà", "national_id": "001190012345", "ward_code": "00001"},
                 "confirmed_on": "2022-01-05", "test_kind": "rt_pcr"}  # fmt: skip
        response = self.post_json(client, CASES, first)
        assert response.status_code == 201, response.content
        people = Person.objects.count()
        again = {"person": {"full_name": "Vu Thi Ha", "national_id": "0011 9001 2345", "phone": "0912000111",
                            "ward_code": "00001"}, "confirmed_on": "2022-03-05", "test_kind": "rt_pcr"}  # fmt: skip
        response = self.post_json(client, CASES, again)
        assert response.status_code == 201, response.content
        body = response.json()
        assert Person.objects.count() == people
        assert body["person"]["full_name"] == "Vũ Thị Hà"
        assert body["person"]["phone"] == "0912000111"  # the blank phone was completed
        assert "001190012345" in body["warnings"][0]

    def test_probable_duplicate_must_be_resolved(self) -> None:
        client = self.api(self.ward_officer_a1)
        person = {"full_name": "Ngô Văn Khoa", "birth": "1985", "phone": "0912999888", "ward_code": "00001"}
        response = self.post_json(
            client, CASES, {"person": person, "confirmed_on": "2022-01-05", "test_kind": "rt_pcr"}
        )
        assert response.status_code == 201
        existing = response.json()["person"]["id"]
        again = {"person": person, "confirmed_on": "2022-03-05", "test_kind": "rt_pcr"}
        response = self.post_json(client, CASES, again)
        assert response.status_code == 422
        assert str(existing) in response.json()["detail"]
        response = self.post_json(client, CASES, {**again, "new_person": True})
        assert response.status_code == 201
        assert response.json()["person"]["id"] != existing

    def test_create_permission_matrix(self) -> None:
        data = {"person_id": self.case_a1.person_id, "confirmed_on": "2022-03-20", "test_kind": "rt_pcr"}
        for user in (self.steering, self.leader, self.team_member_a1, self.doctor_a1):
            assert self.post_json(self.api(user), CASES, data).status_code == 403, user.username
        for user in (self.ward_officer_a2, self.ward_officer_b1, self.district_officer_b):
            assert self.post_json(self.api(user), CASES, data).status_code == 404, user.username
        assert Case.objects.count() == 3

    def test_create_invalid_is_422(self) -> None:
        client = self.api(self.ward_officer_a1)
        person_id = self.case_a1.person_id
        tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
        cases = [
            ({"person_id": person_id, "confirmed_on": tomorrow, "test_kind": "rt_pcr"}, "tương lai"),
            ({"person_id": person_id, "confirmed_on": "2022-02-20", "test_kind": "rt_pcr"}, "đã được ghi nhận F0"),
            ({"confirmed_on": "2022-03-01", "test_kind": "rt_pcr"}, "person_id hoặc person"),
            (
                {"person_id": person_id, "confirmed_on": "2022-03-01", "test_kind": "rt_pcr", "ward_code": "00037"},
                "00037",
            ),
            ({"person_id": person_id, "confirmed_on": "01/03/2022", "test_kind": "pcr"}, "confirmed_on, test_kind"),
        ]
        for data, message in cases:
            response = self.post_json(client, CASES, data)
            assert response.status_code == 422, (data, response.content)
            assert message in response.json()["detail"], response.json()
        assert Case.objects.count() == 3
