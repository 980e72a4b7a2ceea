"""F1 quarantine by the contact date: every rule set on both sides of its date, each branch; definition; symptoms."""

from datetime import date

from django.test import SimpleTestCase

from phongdich.rules.quarantine import (
    OTHERS,
    PROTECTED,
    contact_definition_in_force,
    f1_symptoms_in_force,
    quarantine_plan,
    recovered_within,
    symptoms_assess,
)
from phongdich.rules.registry import NoRuleInForce, rule_set_by_code


def plan(on: date, vaccinated: bool | None = None, recovered_on: date | None = None):  # type: ignore[no-untyped-def]
    return quarantine_plan(contact_on=on, fully_vaccinated=vaccinated, recovered_on=recovered_on)


class EffectiveDateTests(SimpleTestCase):
    def test_nothing_before_5599(self) -> None:
        with self.assertRaises(NoRuleInForce):
            plan(date(2021, 7, 13))

    def test_5599_from_14_07_2021_everybody_14_days(self) -> None:
        on = date(2021, 7, 14)
        for vaccinated in (True, False, None):
            p = plan(on, vaccinated, recovered_on=date(2021, 7, 1))
            assert (p.rule_set, p.group) == ("QUARANTINE-5599", OTHERS)
            assert p.quarantine_until == date(2021, 7, 27)
            assert p.test_days == (date(2021, 7, 14), date(2021, 7, 20), date(2021, 7, 27))
            assert p.monitor_until == date(2021, 8, 10)
            assert p.test_when_symptomatic is False
        assert plan(on).rule_label == "CV 5599/BYT-MT (14/07/2021)"

    def test_10696_from_16_12_2021(self) -> None:
        assert plan(date(2021, 12, 15), True).rule_set == "QUARANTINE-5599"
        assert plan(date(2021, 12, 15), True).quarantine_until == date(2021, 12, 28)
        p = plan(date(2021, 12, 16), True)
        assert (p.rule_set, p.group) == ("QUARANTINE-10696", PROTECTED)
        assert p.quarantine_until == date(2021, 12, 22)
        assert p.test_days == (date(2021, 12, 16), date(2021, 12, 22))
        assert p.monitor_until == date(2021, 12, 29)

    def test_10696_others_keep_the_5599_rows(self) -> None:
        p = plan(date(2021, 12, 16), False)
        assert (p.rule_set, p.group, p.quarantine_until) == ("QUARANTINE-10696", OTHERS, date(2021, 12, 29))
        assert p.test_days == (date(2021, 12, 16), date(2021, 12, 22), date(2021, 12, 29))
        assert p.monitor_until == date(2022, 1, 12)

    def test_762_from_21_02_2022(self) -> None:
        before = plan(date(2022, 2, 20), True)
        assert (before.rule_set, before.quarantine_until) == ("QUARANTINE-10696", date(2022, 2, 26))
        p = plan(date(2022, 2, 21), True)
        assert (p.rule_set, p.group) == ("QUARANTINE-762", PROTECTED)
        assert (p.quarantine_until, p.test_days, p.monitor_until) == (
            date(2022, 2, 25),
            (date(2022, 2, 25),),
            date(2022, 3, 2),
        )
        assert p.rule_label == "CV 762/BYT-DP (21/02/2022)"

    def test_762_not_fully_vaccinated_seven_days_then_three(self) -> None:
        p = plan(date(2022, 2, 21), False)
        assert (p.group, p.quarantine_until, p.test_days, p.monitor_until) == (
            OTHERS,
            date(2022, 2, 27),
            (date(2022, 2, 27),),
            date(2022, 3, 2),
        )

    def test_1909_from_15_04_2022_no_quarantine(self) -> None:
        before = plan(date(2022, 4, 14), True)
        assert (before.rule_set, before.quarantine_until) == ("QUARANTINE-762", date(2022, 4, 18))
        for vaccinated in (True, False, None):
            p = plan(date(2022, 4, 15), vaccinated)
            assert p.rule_set == "QUARANTINE-1909"
            assert (p.quarantine_until, p.test_days, p.monitor_until) == (None, (), date(2022, 4, 24))
            assert p.test_when_symptomatic is True
        assert "Không cách ly" in plan(date(2022, 4, 15)).reasons[0]
        assert plan(date(2023, 1, 1)).rule_set == "QUARANTINE-1909"


class BranchTests(SimpleTestCase):
    def test_unknown_vaccination_takes_the_longer_quarantine_and_says_so(self) -> None:
        p = plan(date(2022, 3, 1), None)
        assert (p.group, p.quarantine_until) == (OTHERS, date(2022, 3, 7))
        assert p.reasons[0] == "Chưa rõ tình trạng tiêm chủng: áp dụng thời gian cách ly dài hơn."
        assert plan(date(2022, 3, 1), False).reasons[0] == "Chưa tiêm đủ liều vắc xin theo quy định tại ngày tiếp xúc."

    def test_10696_recovered_within_six_months(self) -> None:
        on = date(2022, 1, 10)
        inside = plan(on, False, recovered_on=date(2021, 7, 10))
        assert (inside.group, inside.quarantine_until) == (PROTECTED, date(2022, 1, 16))
        assert "khỏi bệnh trong 6 tháng (ngày 10/07/2021)" in inside.reasons[0]
        assert plan(on, False, recovered_on=date(2021, 7, 9)).group == OTHERS

    def test_762_recovered_within_three_months(self) -> None:
        on = date(2022, 3, 10)
        assert plan(on, None, recovered_on=date(2021, 12, 10)).group == PROTECTED
        assert plan(on, None, recovered_on=date(2021, 12, 9)).group == OTHERS

    def test_recovery_after_the_contact_does_not_count(self) -> None:
        assert plan(date(2022, 3, 10), False, recovered_on=date(2022, 3, 11)).group == OTHERS
        assert recovered_within(recovered_on=None, contact_on=date(2022, 3, 10), months=3) is False

    def test_reasons_name_dates(self) -> None:
        p = plan(date(2021, 12, 20), False)
        assert "Cách ly 14 ngày kể từ ngày tiếp xúc (đến hết 02/01/2022)." in p.reasons
        assert "Xét nghiệm ngày 1, 7, 14: 20/12/2021, 26/12/2021, 02/01/2022." in p.reasons
        assert p.as_json()["test_days"] == ["2021-12-20", "2021-12-26", "2022-01-02"]


class DefinitionTests(SimpleTestCase):
    def test_two_metres_then_one(self) -> None:
        assert contact_definition_in_force(on=date(2021, 12, 28)).code == "F1-DEFINITION-BEFORE-11042"
        assert contact_definition_in_force(on=date(2021, 12, 29)).params["distance_m"] == 2
        assert contact_definition_in_force(on=date(2022, 4, 14)).code == "F1-DEFINITION-11042"
        rule = contact_definition_in_force(on=date(2022, 4, 15))
        assert (rule.code, rule.params["distance_m"]) == ("F1-DEFINITION-1909", 1)
        assert [code for code, _text in rule.params["kinds"]] == ["physical", "masked_near", "unmasked_near", "care"]
        assert "≤ 1 m" in rule.params["kinds"][1][1]


class SymptomTests(SimpleTestCase):
    on = date(2022, 5, 1)

    def test_fever_and_cough(self) -> None:
        verdict = symptoms_assess(symptoms=frozenset({"fever", "cough"}), temperature=None, on=self.on)
        assert verdict.suspected is True
        assert verdict.text == "Nghi nhiễm, cần xét nghiệm: Sốt, Ho."
        assert verdict.rule_set == "F1-SYMPTOMS-1909"

    def test_three_or_more(self) -> None:
        two = symptoms_assess(symptoms=frozenset({"headache", "sore_throat"}), temperature=None, on=self.on)
        assert two.suspected is False and two.text.startswith("Có triệu chứng, chưa đủ")
        three = frozenset({"headache", "sore_throat", "runny_nose"})
        assert symptoms_assess(symptoms=three, temperature=None, on=self.on).suspected is True

    def test_measured_fever_counts(self) -> None:
        verdict = symptoms_assess(symptoms=frozenset({"cough"}), temperature=38.5, on=self.on)
        assert verdict.suspected is True
        assert "Sốt (nhiệt độ 38,5 °C)" in verdict.text
        assert symptoms_assess(symptoms=frozenset({"cough"}), temperature=38.0, on=self.on).suspected is False

    def test_nothing(self) -> None:
        verdict = symptoms_assess(symptoms=frozenset(), temperature=36.8, on=self.on)
        assert (verdict.suspected, verdict.text) == (False, "Không có triệu chứng.")

    def test_before_1909_the_same_list_marked_as_the_software_choice(self) -> None:
        assert symptoms_assess(symptoms=frozenset(), temperature=None, on=date(2022, 2, 1)).rule_set == (
            "F1-SYMPTOMS-BEFORE-1909"
        )
        assert len(f1_symptoms_in_force(on=date(2022, 2, 1))) == 11

    def test_unknown_code(self) -> None:
        with self.assertRaises(ValueError):
            symptoms_assess(symptoms=frozenset({"sneezing"}), temperature=None, on=self.on)


class DataFileTests(SimpleTestCase):
    def test_unconfirmed_choices_say_so(self) -> None:
        for code in ("QUARANTINE-5599", "QUARANTINE-762", "F1-DEFINITION-BEFORE-11042", "F1-SYMPTOMS-BEFORE-1909"):
            assert "UNCONFIRMED" in rule_set_by_code(code).notes, code
