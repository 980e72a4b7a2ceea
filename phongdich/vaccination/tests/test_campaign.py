"""Campaign days: planned against done (doses of the ward on the day at the site), validation, scoping, pages."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from phongdich.audit.models import AuditLog, Event
from phongdich.testing import PhongdichTestCase
from phongdich.vaccination.coverage import campaign_day_create, campaign_day_update, campaign_days
from phongdich.vaccination.models import CampaignDay, Dose, DoseKind

TET_1 = date(2022, 2, 1)  # mùng 1 Tết Nhâm Dần
TET_2 = date(2022, 2, 2)
CAMPAIGNS = reverse("vaccination:campaigns")


class CampaignData(PhongdichTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        officer = cls.ward_officer_a1
        cls.school = campaign_day_create(actor=officer, campaign="Tiêm xuyên Tết", ward=cls.ward_a1, day=TET_1,
                                         site="Trường THCS Phúc Xá", planned=100)  # fmt: skip
        cls.hall = campaign_day_create(actor=officer, campaign="Tiêm xuyên Tết", ward=cls.ward_a1, day=TET_1,
                                       site="Nhà văn hoá tổ 5", planned=50)  # fmt: skip
        cls.station = campaign_day_create(actor=officer, campaign="Tiêm xuyên Tết", ward=cls.ward_a1, day=TET_2,
                                          site="Trạm y tế", planned=30)  # fmt: skip
        n = 0

        def doses(ward, day, site, count) -> None:
            nonlocal n
            for _ in range(count):
                n += 1
                person = cls.create_person(cls, full_name=f"Người Tiêm {n}", birth_year=1990, ward=ward)
                Dose.objects.create(person=person, given_on=day, product="pfizer", kind=DoseKind.BOOSTER_1,
                                    site=site, ward=ward)  # fmt: skip

        doses(cls.ward_a1, TET_1, "truong thcs phuc xa", 3)  # the same site written without diacritics
        doses(cls.ward_a1, TET_1, "Nhà văn hóa tổ 5", 1)  # hóa/hoá
        doses(cls.ward_a1, TET_1, "", 2)  # two sites that day: a dose without a site cannot be credited
        doses(cls.ward_a1, TET_2, "", 2)  # one site that day: it gets the doses without a site
        doses(cls.ward_a1, TET_2, "Trạm Y tế", 1)
        doses(cls.ward_a2, TET_2, "Trạm y tế", 4)  # another ward
        doses(cls.ward_a1, date(2022, 2, 3), "Trạm y tế", 5)  # another day


class CampaignServiceTest(CampaignData):
    def test_planned_against_done(self) -> None:
        summary = campaign_days(user=self.ward_officer_a1)
        got = [(r.day.day, r.day.site, r.day.planned, r.done) for r in summary.rows]
        assert got == [
            (TET_2, "Trạm y tế", 30, 3),
            (TET_1, "Nhà văn hoá tổ 5", 50, 1),
            (TET_1, "Trường THCS Phúc Xá", 100, 3),
        ]
        assert (summary.planned, summary.done, summary.pct) == (180, 7, 3.9)
        assert summary.rows[0].pct == 10.0

    def test_filters_and_scoping(self) -> None:
        assert [r.day.pk for r in campaign_days(user=self.ward_officer_a1, date_from=TET_2).rows] == [self.station.pk]
        assert len(campaign_days(user=self.district_officer_a, campaign="xuyên tết").rows) == 3
        assert campaign_days(user=self.ward_officer_a2).rows == []
        assert campaign_days(user=self.district_officer_b).rows == []
        assert len(campaign_days(user=self.city_admin).rows) == 3

    def test_create_validates_and_audits(self) -> None:
        with self.assertRaises(ValidationError) as ctx:
            campaign_day_create(actor=self.ward_officer_a1, campaign="Tiêm xuyên Tết", ward=self.ward_a1, day=TET_1,
                                site="Trường THCS Phúc Xá", planned=10)  # fmt: skip
        assert "đã có trong ngày 01/02/2022" in ctx.exception.message_dict["site"][0]
        with self.assertRaises(ValidationError) as ctx:
            campaign_day_create(actor=self.ward_officer_a2, campaign="X", ward=self.ward_a1, day=TET_1, site="Y",
                                planned=10)  # fmt: skip
        assert "ward" in ctx.exception.message_dict
        with self.assertRaises(ValidationError) as ctx:
            campaign_day_create(actor=self.ward_officer_a1, campaign=" ", ward=self.ward_a1, day=TET_1, site=" ",
                                planned=-1)  # fmt: skip
        assert set(ctx.exception.message_dict) == {"campaign", "site", "planned"}
        assert AuditLog.objects.filter(event=Event.CREATE, target_type="campaign_day").count() == 3

    def test_update(self) -> None:
        campaign_day_update(actor=self.ward_officer_a1, campaign_day=self.station, planned=40)
        self.station.refresh_from_db()
        assert self.station.planned == 40
        log = AuditLog.objects.get(event=Event.UPDATE, target_type="campaign_day", target_id=self.station.pk)
        assert log.changes == {"planned": [30, 40]}
        with self.assertRaises(ValidationError):
            campaign_day_update(actor=self.ward_officer_a1, campaign_day=self.hall, site="Trường THCS Phúc Xá")
        self.hall.refresh_from_db()
        assert self.hall.site == "Nhà văn hoá tổ 5"
        with self.assertRaises(ValidationError):
            campaign_day_update(actor=self.ward_officer_b1, campaign_day=self.hall, planned=1)


class CampaignPagesTest(CampaignData):
    def test_permission_matrix(self) -> None:
        update = reverse("vaccination:campaign_update", args=[self.station.pk])
        self.assert_login_required(CAMPAIGNS)
        self.assert_allowed(CAMPAIGNS, self.everyone)
        self.assert_status(CAMPAIGNS, self.readers_only, 403, method="post")
        self.assert_allowed(update, [self.city_admin, self.district_officer_a, self.ward_officer_a1])
        self.assert_not_found(update, [self.ward_officer_a2, self.ward_officer_b1, self.district_officer_b])
        self.assert_status(update, self.readers_only, 403)
        self.assert_status(update, self.readers_only, 403, method="post")

    def test_create_and_update_through_the_pages(self) -> None:
        client = self.client_for(self.ward_officer_a1)
        data = {"campaign": "Tiêm xuyên Tết", "ward": self.ward_a1.pk, "day": "03/02/2022", "site": "Trạm y tế",
                "planned": "20"}  # fmt: skip
        assert client.post(CAMPAIGNS, data).status_code == 302
        row = CampaignDay.objects.get(day=date(2022, 2, 3))
        html = client.get(CAMPAIGNS).content.decode()
        assert "03/02/2022" in html and "Trạm y tế" in html
        assert client.post(CAMPAIGNS, data).status_code == 422  # the same site that day again
        other = {**data, "ward": self.ward_b1.pk}
        assert client.post(CAMPAIGNS, other).status_code == 422  # not one of this officer's wards
        update = reverse("vaccination:campaign_update", args=[row.pk])
        response = client.post(update, {"campaign": "Tiêm xuyên Tết", "day": "03/02/2022", "site": "Trạm y tế",
                                         "planned": "25"})  # fmt: skip
        assert response.status_code == 302
        row.refresh_from_db()
        assert row.planned == 25

    def test_query_count_is_flat(self) -> None:
        client = self.client_for(self.district_officer_a)
        with CaptureQueriesContext(connection) as first:
            client.get(CAMPAIGNS)
        for i in range(5):
            campaign_day_create(actor=self.city_admin, campaign="Thêm", ward=self.ward_a2, day=date(2022, 3, 1 + i),
                                site="Trạm y tế", planned=10)  # fmt: skip
        with self.assertNumQueries(len(first.captured_queries)):
            client.get(CAMPAIGNS)
