"""Home-care eligibility: each rule set by date and family, each criterion met, failed and missing."""

from dataclasses import replace
from datetime import date

from django.test import SimpleTestCase, override_settings

from phongdich.rules.eligibility import EligibilityFacts, eligibility_assess

ON_4038 = date(2021, 10, 1)
ON_HANOI = date(2021, 12, 20)
ON_261 = date(2022, 2, 10)
ON_604 = date(2022, 4, 1)

HEALTHY = EligibilityFacts(
    age=30, age_months=None, spo2=98, resp_rate=16, abnormal_breathing=False, symptoms=frozenset(),
    has_condition=False, conditions_stable=False, pregnant=False, vaccine_doses=2, last_dose_on=date(2021, 9, 1),
    can_self_care=True,
)  # fmt: skip


def assess(on: date, family: str = "moh", **changes: object):  # type: ignore[no-untyped-def]
    return eligibility_assess(facts=replace(HEALTHY, **changes), on=on, family=family)  # type: ignore[arg-type]


class RuleSetByDateTests(SimpleTestCase):
    def test_rule_set_and_label(self) -> None:
        for on, family, code, label in (
            (ON_4038, "moh", "ELIGIBILITY-4038", "QĐ 4038/QĐ-BYT (21/08/2021)"),
            (ON_HANOI, "moh", "ELIGIBILITY-4038", "QĐ 4038/QĐ-BYT (21/08/2021)"),
            (ON_HANOI, "hanoi", "ELIGIBILITY-HANOI-2021-12", "Hướng dẫn Sở Y tế Hà Nội (07/12/2021)"),
            (ON_261, "hanoi", "ELIGIBILITY-261", "QĐ 261/QĐ-BYT (31/01/2022)"),
            (ON_604, "moh", "ELIGIBILITY-604", "QĐ 604/QĐ-BYT (14/03/2022)"),
        ):
            decision = assess(on, family)
            assert (decision.rule_set, decision.rule_label) == (code, label)
            assert decision.eligible is True, decision

    @override_settings(PHONGDICH_RULE_FAMILY="hanoi")
    def test_family_comes_from_the_setting(self) -> None:
        decision = eligibility_assess(facts=HEALTHY, on=ON_HANOI)
        assert decision.rule_set == "ELIGIBILITY-HANOI-2021-12"

    def test_as_json(self) -> None:
        decision = assess(ON_261, spo2=95)
        assert decision.as_json() == {
            "eligible": False,
            "reasons": ["SpO2 95% ≤ 96%"],
            "rule_set": "ELIGIBILITY-261",
            "rule_label": "QĐ 261/QĐ-BYT (31/01/2022)",
        }

    def test_eligible_lists_the_criteria_met(self) -> None:
        decision = assess(ON_261)
        assert decision.reasons == (
            "Không có triệu chứng",
            "Nhịp thở 16 lần/phút < 20 (người lớn)",
            "SpO2 98% > 96%",
            "Không thở bất thường",
            "Không có bệnh nền",
            "Tự chăm sóc được hoặc có người chăm sóc",
        )


class Rule261Tests(SimpleTestCase):
    def test_spo2(self) -> None:
        assert assess(ON_261, spo2=97).eligible is True
        assert assess(ON_261, spo2=96).reasons == ("SpO2 96% ≤ 96%",)
        decision = assess(ON_261, spo2=None)
        assert (decision.eligible, decision.reasons) == (None, ("Chưa có SpO2",))

    def test_resp_rate_by_age(self) -> None:
        assert assess(ON_261, resp_rate=19).eligible is True
        assert assess(ON_261, resp_rate=20).reasons == ("Nhịp thở 20 lần/phút ≥ 20 (người lớn)",)
        assert assess(ON_261, age=3, resp_rate=39).eligible is True
        assert assess(ON_261, age=3, resp_rate=40).reasons == ("Nhịp thở 40 lần/phút ≥ 40 (trẻ 1–4 tuổi)",)
        assert assess(ON_261, age=7, resp_rate=29).eligible is True
        assert assess(ON_261, age=7, resp_rate=30).eligible is False
        assert assess(ON_261, age=0, resp_rate=45).eligible is True  # 261 gives no infant limit
        assert assess(ON_261, resp_rate=None).reasons == ("Chưa có nhịp thở",)

    def test_symptoms(self) -> None:
        assert assess(ON_261, symptoms=frozenset({"diarrhoea", "fever"})).eligible is True
        assert "Chỉ có triệu chứng nhẹ" in assess(ON_261, symptoms=frozenset({"fever"})).reasons
        decision = assess(ON_261, symptoms=frozenset({"fever", "chest_pain"}))
        assert decision.eligible is False
        assert decision.reasons[0].startswith("Có triệu chứng ngoài nhóm nhẹ: Đau tức ngực")
        assert assess(ON_4038, symptoms=frozenset({"diarrhoea"})).eligible is False  # added by 261

    def test_abnormal_breathing(self) -> None:
        decision = assess(ON_261, abnormal_breathing=True)
        assert decision.eligible is False
        assert decision.reasons[0].startswith("Thở bất thường")

    def test_conditions(self) -> None:
        assert assess(ON_261, has_condition=True, conditions_stable=True).eligible is True
        decision = assess(ON_261, has_condition=True, conditions_stable=False)
        assert (decision.eligible, decision.reasons) == (False, ("Bệnh nền chưa ổn định",))

    def test_age_vaccination_and_pregnancy_no_longer_matter(self) -> None:
        assert assess(ON_261, age=70, vaccine_doses=0, last_dose_on=None, pregnant=True).eligible is True

    def test_self_care(self) -> None:
        decision = assess(ON_261, can_self_care=False)
        assert decision.reasons == ("Không tự chăm sóc được và không có người chăm sóc",)

    def test_several_failures_and_missing(self) -> None:
        decision = assess(ON_261, spo2=95, resp_rate=None, has_condition=True)
        assert decision.eligible is False
        assert decision.reasons == ("Chưa có nhịp thở", "SpO2 95% ≤ 96%", "Bệnh nền chưa ổn định")

    def test_604_carries_261_over(self) -> None:
        assert assess(ON_604, spo2=96).reasons == ("SpO2 96% ≤ 96%",)
        assert assess(ON_604, has_condition=True, conditions_stable=True).eligible is True


class Rule4038Tests(SimpleTestCase):
    def test_clinical_thresholds(self) -> None:
        assert assess(ON_4038, spo2=96).eligible is True
        assert assess(ON_4038, spo2=95).reasons == ("SpO2 95% < 96%",)
        assert assess(ON_4038, resp_rate=20).eligible is True
        assert assess(ON_4038, resp_rate=21).reasons == ("Nhịp thở 21 lần/phút > 20 (người lớn)",)
        assert assess(ON_4038, age=6, resp_rate=28).eligible is True  # no children's limit in 4038

    def test_vaccinated_alone_is_enough(self) -> None:
        assert assess(ON_4038, age=60, has_condition=True, pregnant=True).eligible is True
        one_dose = {"vaccine_doses": 1, "age": 60, "has_condition": True}
        assert assess(ON_4038, last_dose_on=date(2021, 9, 17), **one_dose).eligible is True  # 14 days
        decision = assess(ON_4038, last_dose_on=date(2021, 9, 18), **one_dose)  # 13 days
        assert decision.eligible is False
        assert decision.reasons[0] == "Chưa đủ điều kiện tiêm chủng: 1 mũi (cần 2 mũi hoặc 1 mũi từ 14 ngày trước)"
        assert "Tuổi: 60 tuổi, ngoài khoảng từ 13 tháng đến 49 tuổi" in decision.reasons
        assert "Có bệnh nền" in decision.reasons

    def test_or_young_without_condition_and_not_pregnant(self) -> None:
        unvaccinated = {"vaccine_doses": 0, "last_dose_on": None}
        assert assess(ON_4038, age=49, **unvaccinated).eligible is True
        assert assess(ON_4038, age=50, **unvaccinated).eligible is False
        assert assess(ON_4038, pregnant=True, **unvaccinated).eligible is False
        assert assess(ON_4038, has_condition=True, conditions_stable=True, **unvaccinated).eligible is False
        assert assess(ON_4038, age=1, age_months=13, **unvaccinated).eligible is True
        assert assess(ON_4038, age=1, age_months=12, **unvaccinated).eligible is False

    def test_missing_data(self) -> None:
        decision = assess(ON_4038, vaccine_doses=None, age=60)
        assert decision.eligible is None  # only the vaccination alternative may still hold
        assert decision.reasons[0].startswith("Chưa có số mũi vắc xin")
        assert decision.reasons[1] == "Tuổi: 60 tuổi, ngoài khoảng từ 13 tháng đến 49 tuổi"
        decision = assess(ON_4038, vaccine_doses=None, age=60, spo2=95)
        assert decision.eligible is False  # a required criterion fails whatever the vaccination
        decision = assess(ON_4038, vaccine_doses=0, last_dose_on=None, age=1, age_months=None)
        assert decision.eligible is None
        assert decision.reasons == ("Chưa đủ điều kiện tiêm chủng: 0 mũi (cần 2 mũi hoặc 1 mũi từ 14 ngày trước)",
                                    "Cần số tháng tuổi của trẻ (điều kiện từ 13 tháng đến 49 tuổi)")  # fmt: skip


class HanoiTests(SimpleTestCase):
    def test_all_conditions_are_cumulative(self) -> None:
        for changes, reason in (
            ({"age": 50}, "Tuổi: 50 tuổi, ngoài khoảng từ 3 tháng đến 49 tuổi"),
            ({"has_condition": True, "conditions_stable": True}, "Có bệnh nền"),
            ({"pregnant": True}, "Đang mang thai"),
            ({"vaccine_doses": 1}, "Chưa tiêm đủ liều (CV 10696/BYT-MT (16/12/2021))"),
            ({"spo2": 95}, "SpO2 95% < 96%"),
            ({"resp_rate": 21}, "Nhịp thở 21 lần/phút > 20 (người lớn)"),
        ):
            decision = assess(ON_HANOI, "hanoi", **changes)
            assert (decision.eligible, decision.reasons) == (False, (reason,)), changes

    def test_infants_from_3_months(self) -> None:
        baby = {"age": 0, "vaccine_doses": 2, "last_dose_on": date(2021, 12, 1)}
        assert assess(ON_HANOI, "hanoi", age_months=3, **baby).eligible is True
        decision = assess(ON_HANOI, "hanoi", age_months=2, **baby)
        assert decision.reasons == ("Tuổi: 2 tháng tuổi, ngoài khoảng từ 3 tháng đến 49 tuổi",)
        decision = assess(ON_HANOI, "hanoi", age_months=None, **baby)
        assert (decision.eligible, decision.reasons) == (
            None,
            ("Cần số tháng tuổi của trẻ (điều kiện từ 3 tháng đến 49 tuổi)",),
        )

    def test_fully_vaccinated_by_10696(self) -> None:
        assert assess(ON_HANOI, "hanoi", last_dose_on=date(2021, 12, 6)).eligible is True  # 14 days
        assert assess(ON_HANOI, "hanoi", last_dose_on=date(2021, 12, 7)).eligible is False
        assert assess(ON_HANOI, "hanoi", last_dose_on=date(2021, 6, 1)).eligible is False  # > 6 months
        decision = assess(ON_HANOI, "hanoi", last_dose_on=None)
        assert (decision.eligible, decision.reasons) == (
            None,
            ("Chưa đủ thông tin tiêm chủng (số mũi, ngày tiêm mũi cuối)",),
        )
