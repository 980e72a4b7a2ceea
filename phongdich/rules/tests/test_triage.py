"""Triage: each warning sign of 261 on both sides of its threshold, re-measure, severity classes, rules by date."""

from datetime import date

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, override_settings

from phongdich.cases.models import AlertLevel, Severity
from phongdich.rules.triage import TriageResult, Vitals, symptoms_check, symptoms_in_force, triage, vitals_check

ON_261 = date(2022, 2, 10)  # QĐ 261 warning signs, QĐ 250 severity
ON_604 = date(2022, 4, 1)
ON_4038 = date(2021, 12, 1)  # QĐ 4038, QĐ 4689 severity, QĐ 5155 children
ON_4038_EARLY = date(2021, 9, 1)  # before QĐ 4689: no severity rule set yet
NORMAL = {"spo2": 98, "resp_rate": 16, "pulse": 80, "bp_systolic": 120, "bp_diastolic": 80, "temperature": 36.8}


def run(*, age: int | None = 30, on: date = ON_261, **readings: object) -> TriageResult:
    return triage(vitals=Vitals(**{**NORMAL, **readings}), age=age, on=on)  # type: ignore[arg-type]


def codes(result: TriageResult) -> set[str]:
    return {sign.code for sign in result.signs}


def text_of(result: TriageResult, code: str) -> str:
    return next(sign.text for sign in result.signs if sign.code == code)


class NormalReadingsTests(SimpleTestCase):
    def test_normal_adult_is_asymptomatic_and_none(self) -> None:
        result = run()
        assert result.level == AlertLevel.NONE
        assert result.signs == ()
        assert result.severity == Severity.ASYMPTOMATIC
        assert result.rule_sets == ("TRIAGE-261", "SEVERITY-250")
        assert result.remeasure_spo2 is False


class Spo2Tests(SimpleTestCase):
    def test_96_is_a_warning_sign_and_asks_to_remeasure(self) -> None:
        result = run(spo2=96)
        assert result.level == AlertLevel.URGENT
        assert text_of(result, "spo2") == "SpO2 96% ≤ 96%"
        assert result.remeasure_spo2 is True
        assert result.severity == Severity.MODERATE

    def test_97_is_not(self) -> None:
        result = run(spo2=97)
        assert "spo2" not in codes(result)
        assert result.level == AlertLevel.NONE
        assert result.remeasure_spo2 is False

    def test_second_reading_replaces_the_first(self) -> None:
        result = run(spo2=95, spo2_remeasured=98)
        assert result.level == AlertLevel.NONE
        assert result.remeasure_spo2 is False

    def test_second_abnormal_reading_shows_both(self) -> None:
        result = run(spo2=97, spo2_remeasured=95)
        assert text_of(result, "spo2") == "SpO2 đo lại 95% ≤ 96% (lần đầu 97%)"
        assert result.remeasure_spo2 is False
        assert result.level == AlertLevel.URGENT

    def test_below_94_is_severe_and_an_emergency(self) -> None:
        result = run(spo2=93)
        assert result.severity == Severity.SEVERE
        assert result.level == AlertLevel.EMERGENCY
        assert result.signs[0].code == "severity"
        assert "SpO2 93% < 94%" in result.signs[0].text
        assert run(spo2=94).severity == Severity.MODERATE


class RespRateTests(SimpleTestCase):
    def test_adult_19_and_20(self) -> None:
        assert "resp_rate" not in codes(run(resp_rate=19))
        result = run(resp_rate=20)
        assert text_of(result, "resp_rate") == "Nhịp thở 20 lần/phút ≥ 20 (người lớn)"
        assert result.level == AlertLevel.URGENT
        assert result.severity == Severity.MODERATE

    def test_adult_above_25_is_severe(self) -> None:
        assert run(resp_rate=25).severity == Severity.MODERATE
        result = run(resp_rate=26)
        assert result.severity == Severity.SEVERE
        assert result.level == AlertLevel.EMERGENCY

    def test_age_1_to_4_at_39_and_40(self) -> None:
        for age in (1, 4):
            assert "resp_rate" not in codes(run(age=age, resp_rate=39))
            result = run(age=age, resp_rate=40)
            assert text_of(result, "resp_rate") == "Nhịp thở 40 lần/phút ≥ 40 (trẻ 1–4 tuổi)"
            assert result.level == AlertLevel.URGENT
            assert result.severity == Severity.MODERATE  # fast breathing, QĐ 5155
            assert "SEVERITY-CHILDREN-5155" in result.rule_sets

    def test_age_5_to_11_at_29_and_30(self) -> None:
        for age in (5, 11):
            assert "resp_rate" not in codes(run(age=age, resp_rate=29))
            result = run(age=age, resp_rate=30)
            assert text_of(result, "resp_rate") == "Nhịp thở 30 lần/phút ≥ 30 (trẻ 5–11 tuổi)"
            assert result.level == AlertLevel.URGENT

    def test_child_is_not_judged_by_adult_limits(self) -> None:
        result = run(age=8, resp_rate=26)
        assert result.level == AlertLevel.NONE
        assert result.severity == Severity.ASYMPTOMATIC

    def test_age_12_is_adult(self) -> None:
        assert text_of(run(age=12, resp_rate=20), "resp_rate").endswith("(người lớn)")

    def test_infant_has_no_261_limit_but_5155_fast_breathing(self) -> None:
        assert "resp_rate" not in codes(run(age=0, resp_rate=49))
        assert run(age=0, resp_rate=49).level == AlertLevel.NONE
        result = run(age=0, resp_rate=50)  # 2–11 months ≥ 50: the lower of the infant limits when months are unknown
        assert "resp_rate" not in codes(result)
        assert result.severity == Severity.MODERATE
        assert result.level == AlertLevel.URGENT
        assert "≥ 50 (trẻ 2–11 tháng)" in text_of(result, "severity")

    def test_unknown_age_uses_adult_limits(self) -> None:
        assert text_of(run(age=None, resp_rate=20), "resp_rate").endswith("(người lớn)")


class PulseAndPressureTests(SimpleTestCase):
    def test_pulse_120_and_121(self) -> None:
        assert run(pulse=120).level == AlertLevel.NONE
        result = run(pulse=121)
        assert text_of(result, "pulse") == "Mạch 121 lần/phút > 120"
        assert result.level == AlertLevel.URGENT

    def test_pulse_50_and_49(self) -> None:
        assert run(pulse=50).level == AlertLevel.NONE
        result = run(pulse=49)
        assert text_of(result, "pulse") == "Mạch 49 lần/phút < 50"
        assert result.level == AlertLevel.URGENT

    def test_systolic_90_and_89(self) -> None:
        assert run(bp_systolic=90).level == AlertLevel.NONE
        result = run(bp_systolic=89)
        assert text_of(result, "bp") == "Huyết áp thấp: tâm thu 89 mmHg < 90 mmHg"
        assert result.level == AlertLevel.URGENT

    def test_diastolic_60_and_59(self) -> None:
        assert run(bp_diastolic=60).level == AlertLevel.NONE
        result = run(bp_diastolic=59)
        assert text_of(result, "bp") == "Huyết áp thấp: tâm trương 59 mmHg < 60 mmHg"
        assert result.level == AlertLevel.URGENT

    def test_both_pressures_in_one_sign(self) -> None:
        result = run(bp_systolic=85, bp_diastolic=55)
        assert [s.code for s in result.signs] == ["bp"]
        assert "tâm thu 85 mmHg" in result.signs[0].text and "tâm trương 55 mmHg" in result.signs[0].text


class SymptomTests(SimpleTestCase):
    def test_urgent_symptoms(self) -> None:
        for code in ("dyspnoea", "chest_pain", "child_poor_feeding", "mis_c", "new_acute_illness", "other_worrying"):
            result = run(symptoms=frozenset({code}))
            assert result.level == AlertLevel.URGENT, code
            assert codes(result) == {code}
            assert result.signs[0].text  # the Vietnamese label

    def test_emergency_symptoms(self) -> None:
        for code in ("altered_consciousness", "cyanosis", "convulsions"):
            result = run(symptoms=frozenset({code}))
            assert result.level == AlertLevel.EMERGENCY, code

    def test_dyspnoea_is_moderate(self) -> None:
        assert run(symptoms=frozenset({"dyspnoea"})).severity == Severity.MODERATE

    def test_mild_symptoms_only_monitor(self) -> None:
        result = run(symptoms=frozenset({"dry_cough", "fatigue"}))
        assert result.level == AlertLevel.MONITOR
        assert result.severity == Severity.MILD
        assert {s.text for s in result.signs} == {"Ho khan", "Mệt mỏi"}

    def test_measured_fever_is_monitor(self) -> None:
        assert run(temperature=38.0).level == AlertLevel.NONE
        result = run(temperature=38.5, symptoms=frozenset({"fever"}))
        assert result.level == AlertLevel.MONITOR
        assert [s.text for s in result.signs] == ["Nhiệt độ 38,5 °C > 38 °C"]
        assert result.severity == Severity.MILD

    def test_most_serious_sign_first(self) -> None:
        result = run(symptoms=frozenset({"fatigue", "cyanosis"}), pulse=130)
        assert [s.code for s in result.signs] == ["cyanosis", "pulse", "fatigue"]

    def test_symptoms_in_force_by_date(self) -> None:
        before = dict(symptoms_in_force(on=ON_4038, family="moh"))
        after = dict(symptoms_in_force(on=ON_261))
        assert "diarrhoea" not in before and after["diarrhoea"] == "Tiêu chảy"
        for code in ("dyspnoea", "chest_pain", "altered_consciousness", "cyanosis", "mis_c", "other_worrying"):
            assert code in before and code in after
        assert next(iter(after)) == "fever"  # mild symptoms first, then warning symptoms

    @override_settings(PHONGDICH_RULE_FAMILY="hanoi")
    def test_symptoms_of_the_family(self) -> None:
        on = date(2021, 12, 10)  # Hà Nội's criteria of 07/12/2021 in force
        assert dict(symptoms_in_force(on=on))["muscle_ache"] == "Đau mỏi cơ, khớp"
        assert dict(symptoms_in_force(on=on, family="moh"))["muscle_ache"] == "Đau mỏi cơ"
        assert dict(symptoms_in_force(on=ON_4038))["muscle_ache"] == "Đau mỏi cơ"

    def test_symptoms_check(self) -> None:
        symptoms_check(symptoms=frozenset({"fever", "dyspnoea"}), on=ON_261)
        with self.assertRaises(ValidationError) as raised:
            symptoms_check(symptoms=frozenset({"ho_ra_mau"}), on=ON_261)
        assert "ho_ra_mau" in raised.exception.message_dict["symptoms"][0]


class SeverityTests(SimpleTestCase):
    def test_unknown_without_spo2_or_resp_rate(self) -> None:
        assert triage(vitals=Vitals(pulse=80), age=30, on=ON_261).severity == ""
        assert triage(vitals=Vitals(spo2=98), age=30, on=ON_261).severity == ""
        assert triage(vitals=Vitals(spo2=90), age=30, on=ON_261).severity == Severity.SEVERE

    def test_asymptomatic_only_from_250(self) -> None:
        assert run(on=ON_261).severity == Severity.ASYMPTOMATIC
        result = run(on=ON_4038)
        assert result.severity == Severity.MILD
        assert result.rule_sets == ("TRIAGE-4038", "SEVERITY-4689")

    def test_no_severity_before_4689(self) -> None:
        result = run(on=ON_4038_EARLY, spo2=93)
        assert result.severity == ""
        assert result.rule_sets == ("TRIAGE-4038",)
        assert result.level == AlertLevel.URGENT

    def test_critical_is_never_guessed(self) -> None:
        result = run(spo2=80, resp_rate=40, symptoms=frozenset({"cyanosis", "altered_consciousness"}))
        assert result.severity == Severity.SEVERE
        assert result.level == AlertLevel.EMERGENCY


class RuleByDateTests(SimpleTestCase):
    def test_4038_uses_the_complement_of_its_inclusion_criteria(self) -> None:
        # 96 is no warning sign under 4038 (261 warns at ≤ 96), though 4689 classes it moderate (94–96).
        result = run(on=ON_4038, spo2=96)
        assert "spo2" not in codes(result)
        assert result.severity == Severity.MODERATE
        assert result.level == AlertLevel.URGENT
        assert text_of(result, "severity") == "Mức độ trung bình: SpO2 96% ≤ 96%"
        result = run(on=ON_4038, spo2=95)
        assert text_of(result, "spo2") == "SpO2 95% < 96%"
        assert result.remeasure_spo2 is False  # the re-measure rule came with 261
        assert "resp_rate" not in codes(run(on=ON_4038, resp_rate=20))
        assert text_of(run(on=ON_4038, resp_rate=21), "resp_rate") == "Nhịp thở 21 lần/phút > 20 (người lớn)"
        assert run(on=ON_4038, pulse=130, bp_systolic=80).level == AlertLevel.NONE  # no pulse/BP limits in 4038

    def test_4038_children_rr_only_through_5155(self) -> None:
        assert run(on=ON_4038_EARLY, age=3, resp_rate=45).level == AlertLevel.NONE
        assert run(on=ON_4038, age=3, resp_rate=45).level == AlertLevel.URGENT

    def test_261_takes_over_on_its_date(self) -> None:
        assert run(on=date(2022, 1, 30), pulse=121).level == AlertLevel.NONE
        assert run(on=date(2022, 1, 31), pulse=121).level == AlertLevel.URGENT
        assert run(on=date(2022, 1, 30), spo2=96).remeasure_spo2 is False
        assert run(on=date(2022, 1, 31), spo2=96).remeasure_spo2 is True

    def test_604_carries_261_over(self) -> None:
        result = run(on=ON_604, spo2=96, resp_rate=20, pulse=121, bp_systolic=89)
        assert result.rule_sets[0] == "TRIAGE-604"
        assert codes(result) == {"spo2", "resp_rate", "pulse", "bp"}
        assert run(on=ON_604, spo2=97, resp_rate=19).level == AlertLevel.NONE


class VitalsCheckTests(SimpleTestCase):
    def test_plausible_values_pass(self) -> None:
        vitals_check(Vitals(**NORMAL, spo2_remeasured=97))  # type: ignore[arg-type]
        vitals_check(Vitals(spo2=60, pulse=190, resp_rate=70, temperature=34.5))

    def test_impossible_values_are_refused_in_vietnamese(self) -> None:
        with self.assertRaises(ValidationError) as raised:
            vitals_check(Vitals(spo2=140, temperature=60, pulse=-5, spo2_remeasured=101))
        errors = raised.exception.message_dict
        assert errors["spo2"] == ["SpO2 140% không hợp lý: phải từ 30 đến 100%."]
        assert errors["temperature"] == ["Nhiệt độ 60 °C không hợp lý: phải từ 30 đến 45 °C."]
        assert "Mạch -5 lần/phút" in errors["pulse"][0]
        assert "SpO2 đo lại" in errors["spo2_remeasured"][0]

    def test_diastolic_above_systolic(self) -> None:
        with self.assertRaises(ValidationError) as raised:
            vitals_check(Vitals(bp_systolic=80, bp_diastolic=90))
        assert "tâm trương" in raised.exception.message_dict["bp_diastolic"][0]
