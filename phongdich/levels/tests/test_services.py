"""levels_assess on a small fixed data set against hand-computed levels; versions change results and are recorded."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from phongdich.audit.models import AuditLog
from phongdich.levels.models import Assessment, AssessmentKind, RuleVersion
from phongdich.levels.services import levels_assess
from phongdich.levels.tests.base import LevelsTestCase, frozen
from phongdich.levels.versions import rule_in_force, rule_version_create, rule_version_current

CUTOFF_4800 = date(2021, 12, 20)
CUTOFF_218 = date(2022, 2, 20)


class Assess4800Tests(LevelsTestCase):
    def setUp(self) -> None:
        # Window 07/12 – 20/12. Phúc Xá: 10 + 4 + 2 = 16 cases (the 5 late entries and 06/12 stay out).
        self.day(self.ward_a1, date(2021, 12, 6), new_community=100)
        self.day(self.ward_a1, date(2021, 12, 10), new_community=10, new_quarantine=4)
        self.day(self.ward_a1, date(2021, 12, 20), new_other=2, new_late=5)
        self.day(self.ward_a1, date(2021, 12, 21), new_community=50)
        self.day(self.ward_a2, date(2021, 12, 7), new_community=3)
        self.day(self.ward_b1, date(2021, 12, 15), new_community=120)

    def assess(self) -> dict[str, Assessment]:
        with frozen(CUTOFF_4800):
            written = levels_assess(cutoff_on=CUTOFF_4800, kind=AssessmentKind.WEEKLY)
        assert written == self.city_areas
        return {a.area.code: a for a in Assessment.objects.select_related("area")}

    def test_hand_computed_levels(self) -> None:
        rows = self.assess()
        a1, a2, b1 = rows["00001"], rows["00004"], rows["00037"]
        # Phúc Xá: 16 ÷ 2 ÷ 10,000 × 100,000 = 80 → band 3; coverage 87.5 % / 100 % met → 3.
        assert (a1.inputs["cases"], a1.inputs["cases_per_100k_week"], a1.level, a1.cell) == (
            16, 80.0, 3, {"band": 3, "adjustment": "none"})  # fmt: skip
        assert (a1.inputs["new_late"], a1.inputs["adult_first_dose_pct"], a1.inputs["over_50_primary_pct"]) == (
            5,
            87.5,
            100.0,
        )
        # Trúc Bạch: 3 ÷ 2 ÷ 20,000 × 100,000 = 7.5 → band 1; ≥ 50 fully vaccinated 66.67 % < 80 → raised to 2.
        assert (a2.inputs["cases_per_100k_week"], a2.inputs["over_50_primary_pct"], a2.level, a2.cell["adjustment"]) == (
            7.5, 66.67, 2, "raised")  # fmt: skip
        # Phúc Tân: 120 ÷ 2 ÷ 40,000 × 100,000 = 150 → band 4; coverage met, capacity met (40 free beds = 100 per
        # 100,000 in Hoàn Kiếm, 1 free ICU bed for 70,000 = 1.43, a home-care team) → 3.
        assert (b1.inputs["cases_per_100k_week"], b1.inputs["free_beds_per_100k"], b1.inputs["free_icu_beds_per_100k"]) == (
            150.0, 100.0, 1.43)  # fmt: skip
        assert (b1.level, b1.cell["adjustment"], b1.inputs["criteria"]) == (
            3, "lowered", {"coverage_met": True, "capacity_met": True})  # fmt: skip
        # Ba Đình: 19 cases for the 30,000 people of its two wards with a population → 31.67 → 2; coverage
        # 2,550 / 3,200 = 79.69 % and 1,000 / 1,200 = 83.33 % → met → 2.
        district_a = rows["001"]
        assert (district_a.inputs["cases"], district_a.inputs["population"], district_a.inputs["population_source"]) == (
            19, 30000, "wards")  # fmt: skip
        assert (district_a.inputs["cases_per_100k_week"], district_a.inputs["adult_first_dose_pct"], district_a.level) == (
            31.67, 79.69, 2)  # fmt: skip
        # Hoàn Kiếm: band 4, coverage met, but 1 of its wards ready for home care → capacity not met → 4.
        assert (rows["002"].level, rows["002"].inputs["criteria"]["capacity_met"]) == (4, False)
        # The city: 139 ÷ 2 ÷ 70,000 × 100,000 = 99.29 → band 3, coverage met → 3.
        city = rows["01"]
        assert (city.inputs["cases"], city.inputs["cases_per_100k_week"], city.level) == (139, 99.29, 3)
        # A ward with no population and no case: rate 0 → band 1; no coverage figures → not met → 2.
        other = rows["00007"]
        assert (other.inputs["cases_per_100k_week"], other.level) == (0.0, 2)
        assert all(a.rule_set == "LEVEL-4800" and a.rule_version == 1 for a in rows.values())
        assert a1.reasoning[0].startswith("Ca mắc mới: 16 trong 14 ngày")

    def test_rerun_replaces_and_a_new_version_changes_the_result(self) -> None:
        self.assess()
        assert rule_version_current("LEVEL-4800").number == 1
        params = rule_version_current("LEVEL-4800").params
        version = rule_version_create(
            actor=self.city_admin, code="LEVEL-4800", params={**params, "case_bands": [20, 90, 150]},
            note="CV 1234/SYT thử nghiệm", based_on=1,
        )  # fmt: skip
        assert version.number == 2
        rows = self.assess()
        assert (rows["00001"].level, rows["00001"].rule_version) == (2, 2)  # 80 is now band 2
        assert Assessment.objects.count() == self.city_areas  # replaced, not added
        log = AuditLog.objects.get(target_type="level_rule_version")
        assert log.changes == {"case_bands__1": [50, 90]} and log.actor == self.city_admin

    def test_query_count_is_bounded(self) -> None:
        rule_version_current("LEVEL-4800")
        with frozen(CUTOFF_4800), CaptureQueriesContext(connection) as queries:
            levels_assess(cutoff_on=CUTOFF_4800, kind=AssessmentKind.WEEKLY)
        # Reads: rule version, the city, the area tree, WardDay, tallies, denominators (2), beds, teams; then the
        # upsert (batched by the database's parameter limit) and one audit row, whatever the number of areas.
        reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
        assert len(reads) == 9, "\n".join(q[:100] for q in reads)

    def test_district_recompute_writes_only_its_areas(self) -> None:
        with frozen(CUTOFF_4800):
            written = levels_assess(cutoff_on=CUTOFF_4800, kind=AssessmentKind.ON_DEMAND, actor=self.district_officer_a,
                                    areas=[self.district_a, self.ward_a1, self.ward_a2])  # fmt: skip
        assert written == 3
        levels = dict(Assessment.objects.values_list("area__code", "level"))
        assert levels == {"001": 2, "00001": 3, "00004": 2}

    def test_bad_input(self) -> None:
        with frozen(CUTOFF_4800), self.assertRaises(ValidationError) as caught:
            levels_assess(cutoff_on=date(2021, 10, 11), kind=AssessmentKind.WEEKLY)
        assert "cutoff_on" in caught.exception.message_dict
        with frozen(CUTOFF_4800), self.assertRaises(ValidationError):
            levels_assess(cutoff_on=date(2021, 12, 25), kind=AssessmentKind.WEEKLY)


class Assess218Tests(LevelsTestCase):
    def test_hand_computed_matrix_cell(self) -> None:
        # Phúc Xá, window 07/02 – 20/02/2022: 10 cases → 50 → level 3; 1 admission to tier 2 → 5 → level 2; no death.
        self.day(self.ward_a1, date(2022, 2, 10), new_community=10, tier2_in=1)
        with frozen(CUTOFF_218):
            levels_assess(cutoff_on=CUTOFF_218, kind=AssessmentKind.WEEKLY)
        a1 = Assessment.objects.get(area=self.ward_a1)
        # Coverage (adults fully vaccinated 1,400 / 1,600; ≥ 50 100 %) met; beds in Ba Đình 3.3 < 20 not met;
        # no home-care team (a community team does not count) → 1 of 3 → low → matrix (3, low) = 4.
        assert (a1.transmission, a1.capacity, a1.level, a1.cell["row"], a1.cell["column"]) == (3, "low", 4, 3, "low")
        assert (a1.inputs["oxygen_per_100k_week"], a1.inputs["deaths_per_100k_week"]) == (5.0, 0.0)
        assert (a1.rule_set, a1.capacity_label, a1.cell_label) == ("LEVEL-218", "thấp", "lây nhiễm 3 × đáp ứng thấp")


class RuleChoiceTests(LevelsTestCase):
    def test_rule_set_by_date(self) -> None:
        assert rule_in_force(on=date(2022, 1, 26))[0].code == "LEVEL-4800"
        assert rule_in_force(on=date(2022, 1, 27))[0].code == "LEVEL-218"
        assert RuleVersion.objects.filter(number=1).count() == 2  # seeded on first use

    def test_version_checks(self) -> None:
        params = rule_version_current("LEVEL-218").params
        cases = [
            ({**params, "matrix": {**params["matrix"], "low": [2, 3, 5, 4]}}, "matrix__low__2"),
            ({**params, "transmission": {**params["transmission"], "deaths_per_100k_week": [1, 1, 5]}},
             "transmission__deaths_per_100k_week__1"),
            ({**params, "coverage": {**params["coverage"], "adult_primary_pct": 120}}, "coverage__adult_primary_pct"),
            ({**params, "window_days": 0}, "window_days"),
            (params, "params"),
        ]  # fmt: skip
        for changed, field in cases:
            with self.assertRaises(ValidationError) as caught:
                rule_version_create(actor=self.city_admin, code="LEVEL-218", params=changed, note="x", based_on=1)
            assert field in caught.exception.message_dict, (field, caught.exception.message_dict)
        with self.assertRaises(ValidationError) as caught:
            rule_version_create(actor=self.city_admin, code="LEVEL-218", params={**params, "window_days": 7}, note=" ")
        assert "note" in caught.exception.message_dict
        rule_version_create(
            actor=self.city_admin, code="LEVEL-218", params={**params, "window_days": 7}, note="a", based_on=1
        )
        with self.assertRaises(ValidationError) as caught:
            rule_version_create(
                actor=self.city_admin, code="LEVEL-218", params={**params, "divisor": 1}, note="b", based_on=1
            )
        assert "phiên bản 2" in caught.exception.message_dict["based_on"][0]
