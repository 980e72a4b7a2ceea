"""The vaccination API: one person's doses and status (GET), recording a dose (POST)."""

from datetime import date

from phongdich.tests.test_api import ApiTestCase
from phongdich.vaccination.models import Dose
from phongdich.vaccination.services import dose_record

VACC = "/api/v1/vaccination"


class VaccinationApiTests(ApiTestCase):
    def setUp(self) -> None:
        self.person = self.create_person(birth_date=date(1980, 5, 1), birth_year=1980)
        self.url = f"{VACC}/persons/{self.person.pk}"

    def post_dose(self, user, **body: object):  # type: ignore[no-untyped-def]
        return self.post_json(
            self.api(user), f"{self.url}/doses", {"given_on": "2021-09-01", "product": "pfizer", **body}
        )

    def test_get_permission_matrix(self) -> None:
        assert self.client.get(self.url).status_code == 401
        for user in self.seeing_ward_a1:
            assert self.api(user).get(self.url).status_code == 200, user.username
        for user in self.not_seeing_ward_a1:
            assert self.api(user).get(self.url).status_code == 404, user.username

    def test_get_doses_status_and_next(self) -> None:
        body = self.api(self.leader).get(self.url).json()
        assert (body["status"], body["doses"], body["next"]["kind"]) == ("unvaccinated", [], None)
        dose_record(actor=self.ward_officer_a1, person=self.person, given_on=date(2021, 9, 1), product="pfizer",
                    lot="FF1")  # fmt: skip
        body = self.api(self.leader).get(self.url).json()
        assert body["status"] == "partial"
        assert [(d["given_on"], d["product"], d["kind"], d["lot"]) for d in body["doses"]] == [
            ("2021-09-01", "pfizer", "primary_1", "FF1")
        ]
        assert body["next"]["kind"] == "primary_2"
        assert "pfizer" in [p["code"] for p in body["next"]["products"]]

    def test_post_permission_matrix(self) -> None:
        for user in (self.steering, self.leader, self.hotline, self.team_member_a1, self.doctor_a1):
            assert self.post_dose(user).status_code == 403, user.username
        for user in self.not_seeing_ward_a1:
            assert self.post_dose(user).status_code == 404, user.username
        assert not Dose.objects.exists()

    def test_post_records_flags_and_refuses(self) -> None:
        created = self.post_dose(self.ward_officer_a1, lot="FF1", site="TYT Phúc Xá")
        assert created.status_code == 201, created.content
        body = created.json()
        assert body["warnings"] == []
        assert body["status"] == "partial"
        assert Dose.objects.get(pk=body["dose_id"]).site == "TYT Phúc Xá"
        early = self.post_dose(self.district_officer_a, given_on="2021-09-11")
        assert early.status_code == 201
        assert early.json()["warnings"]
        assert early.json()["doses"][1]["flags"]
        duplicate = self.post_dose(self.ward_officer_a1, given_on="2021-09-11", product="moderna")
        assert duplicate.status_code == 422
        assert "Đã có mũi tiêm ngày 11/09/2021" in duplicate.json()["detail"]
        before_birth = self.post_dose(self.ward_officer_a1, given_on="1979-01-01")
        assert before_birth.status_code == 422
        assert "given_on" in before_birth.json()["errors"]
        malformed = self.post_dose(self.ward_officer_a1, given_on="hôm qua")
        assert malformed.status_code == 422
        assert Dose.objects.count() == 2
