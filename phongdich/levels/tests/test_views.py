"""The levels pages: who may see, recompute and edit; scoping; what each page shows."""

from datetime import date

from django.urls import reverse

from phongdich.audit.models import AuditLog
from phongdich.levels.models import Assessment, AssessmentKind, RuleVersion
from phongdich.levels.services import levels_assess
from phongdich.levels.tests.base import LevelsTestCase, frozen


class LevelPagesTests(LevelsTestCase):
    def setUp(self) -> None:
        self.day(self.ward_a1, date(2021, 12, 10), new_community=10)
        self.day(self.ward_b1, date(2021, 12, 1), new_community=120)
        with frozen(date(2021, 12, 20)):
            levels_assess(cutoff_on=date(2021, 12, 13), kind=AssessmentKind.WEEKLY)
            levels_assess(cutoff_on=date(2021, 12, 20), kind=AssessmentKind.WEEKLY)

    def test_table_is_scoped(self) -> None:
        url = reverse("levels:table")
        self.assert_login_required(url)
        self.assert_allowed(url, self.everyone)
        page = self.client_for(self.ward_officer_a1).get(url).content.decode()
        assert "Phường Phúc Xá" in page and "Phường Trúc Bạch" not in page and "LEVEL-4800 v1" in page
        assert "Tính lại" not in page
        district = self.client_for(self.district_officer_a).get(url).content.decode()
        assert "Phường Trúc Bạch" in district and "Phường Phúc Tân" not in district and "Tính lại" in district
        city = self.client_for(self.steering).get(url, {"district": self.district_b.pk}).content.decode()
        assert "Phường Phúc Tân" in city and "Phường Phúc Xá" not in city
        assert self.client_for(self.ward_officer_a1).get(url, {"district": self.district_b.pk}).status_code == 200

    def test_history_and_scope(self) -> None:
        url = reverse("levels:history", args=[self.ward_a1.pk])
        self.assert_allowed(url, self.seeing_ward_a1)
        self.assert_not_found(url, self.not_seeing_ward_a1)
        page = self.client_for(self.ward_officer_a1).get(url).content.decode()
        assert "20/12/2021" in page and "13/12/2021" in page and "dải cấp 3" in page

    def test_changes_since_last_week(self) -> None:
        page = self.client_for(self.steering).get(reverse("levels:changes")).content.decode()
        # Phúc Xá 4 → 3 (coverage known on 20/12 only); Phúc Tân's 120 cases left the window: 4 → 1.
        assert "Giảm cấp" in page and "Phường Phúc Xá" in page and "Phường Phúc Tân" in page
        own = self.client_for(self.ward_officer_b1).get(reverse("levels:changes")).content.decode()
        assert "Phường Phúc Xá" not in own

    def test_recompute_permissions(self) -> None:
        url = reverse("levels:recompute")
        for user in (self.ward_officer_a1, self.steering, self.leader, self.doctor_a1):
            assert self.client_for(user).post(url).status_code == 403, user.username
        with frozen(date(2021, 12, 20)):
            response = self.client_for(self.district_officer_a).post(url, {"cutoff_on": "2021-12-20"})
        assert response.status_code == 302
        on_demand = set(Assessment.objects.filter(kind=AssessmentKind.ON_DEMAND).values_list("area__code", flat=True))
        assert on_demand == {"001"} | set(self.district_a.children.values_list("code", flat=True))
        with frozen(date(2021, 12, 20)):
            self.client_for(self.city_admin).post(url, {"cutoff_on": "2021-12-20"})
        assert Assessment.objects.filter(kind=AssessmentKind.ON_DEMAND).count() == self.city_areas
        assert AuditLog.objects.filter(target_type="level_assessment", actor=self.city_admin).exists()

    def test_whatif_and_rules_pages(self) -> None:
        self.assert_allowed(reverse("levels:whatif"), self.everyone)
        whatif = self.client_for(self.leader).get(reverse("levels:whatif")).content.decode()
        assert 'ruleSet: "LEVEL-218"' in whatif and "/api/v1/levels/evaluate" in whatif
        page = self.client_for(self.leader).get(reverse("levels:rules")).content.decode()
        assert "QĐ 218/QĐ-BYT" in page and "UNCONFIRMED" in page and "/sua/" not in page
        assert (
            "/cap-do/quy-dinh/LEVEL-218/sua/"
            in self.client_for(self.city_admin).get(reverse("levels:rules")).content.decode()
        )

    def test_rule_edit_saves_a_new_version(self) -> None:
        url = reverse("levels:rule_edit", args=["LEVEL-218"])
        for user in (self.district_officer_a, self.steering, self.ward_officer_a1):
            assert self.client_for(user).get(url).status_code == 403
        assert self.client_for(self.city_admin).get(reverse("levels:rule_edit", args=["TRIAGE-261"])).status_code == 404
        client = self.client_for(self.city_admin)
        form = client.get(url).context["form"]
        data = {name: field.initial for name, field in form.fields.items() if field.initial is not None}
        data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
        data.update({"based_on": 1, "note": "CV 99/SYT", "matrix__medium__1": 3})
        bad = client.post(url, {**data, "transmission__cases_per_100k_week__1": 10})
        assert bad.status_code == 200 and "phải lớn hơn ngưỡng" in bad.content.decode()
        response = client.post(url, data)
        assert response.status_code == 302, response.context["form"].errors if response.context else ""
        version = RuleVersion.objects.get(rule_set="LEVEL-218", number=2)
        assert version.params["matrix"]["medium"] == [1, 3, 3, 4] and version.created_by == self.city_admin
        assert AuditLog.objects.get(target_type="level_rule_version").changes == {"matrix__medium__1": [2, 3]}
        stale = client.post(url, {**data, "matrix__medium__1": 4})
        assert "người khác lưu" in stale.content.decode()
