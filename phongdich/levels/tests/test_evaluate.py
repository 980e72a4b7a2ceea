"""The evaluator pinned on both sides of every threshold of each rule set, every matrix cell, the 4800 adjustments."""

from dataclasses import replace

from django.test import SimpleTestCase

from phongdich.levels.evaluate import Indicators, band, evaluate, num, weekly_rate
from phongdich.rules.registry import rule_set_by_code

P4800 = rule_set_by_code("LEVEL-4800").params
P218 = rule_set_by_code("LEVEL-218").params
# Coverage and capacity met under 4800: only the case band decides (band 4 → 3 is tested apart).
MET_4800 = Indicators(adult_first_dose_pct=90, over_50_primary_pct=90, capacity_met=False)
MET_218 = Indicators(adult_primary_pct=90, over_50_primary_pct=90, free_beds_per_100k=50,
                     free_icu_beds_per_100k=5, home_care_ready_pct=100)  # fmt: skip


def level_4800(**changes: object) -> int:
    return evaluate(params=P4800, indicators=replace(MET_4800, **changes)).level


class RateTests(SimpleTestCase):
    def test_hanoi_weekly_rate_is_the_mean_of_14_days(self) -> None:
        # 28 cases in 14 days in a ward of 70,000: (28 ÷ 2) ÷ 70,000 × 100,000 = 20.
        assert weekly_rate(28, 70000, P4800) == 20.0
        assert weekly_rate(0, None, P4800) == 0.0
        assert weekly_rate(3, None, P4800) is None
        assert weekly_rate(None, 1000, P4800) is None

    def test_band_and_numbers(self) -> None:
        assert [band(v, [20, 50, 150]) for v in (0, 19.99, 20, 49.99, 50, 149.99, 150, 1e6)] == [1, 1, 2, 2, 3, 3, 4, 4]
        assert (num(8053663), num(19.99), num(22.5), num(None)) == ("8.053.663", "19,99", "22,5", "—")


class Rule4800Tests(SimpleTestCase):
    def test_case_bands_on_both_sides(self) -> None:
        for rate, expected in ((0, 1), (19.99, 1), (20, 2), (49.99, 2), (50, 3), (149.99, 3), (150, 4)):
            assert level_4800(cases_per_100k_week=rate) == expected, rate

    def test_band_from_counts(self) -> None:
        result = evaluate(params=P4800, indicators=replace(MET_4800, cases=28, population=70000))
        assert (result.level, result.cell, result.used["cases_per_100k_week"]) == (
            2,
            {"band": 2, "adjustment": "none"},
            20.0,
        )
        assert evaluate(params=P4800, indicators=replace(MET_4800, cases=27, population=70000)).level == 1

    def test_coverage_thresholds_raise_one_level(self) -> None:
        for adult, over_50, expected in ((70, 80, 1), (69.9, 80, 2), (70, 79.9, 2), (69.9, 79.9, 2)):
            assert (
                level_4800(cases_per_100k_week=10, adult_first_dose_pct=adult, over_50_primary_pct=over_50) == expected
            )
        result = evaluate(params=P4800, indicators=replace(MET_4800, cases_per_100k_week=60, over_50_primary_pct=79.9))
        assert (result.level, result.cell["adjustment"], result.criteria["coverage_met"]) == (4, "raised", False)

    def test_never_above_4(self) -> None:
        result = evaluate(params=P4800, indicators=replace(MET_4800, cases_per_100k_week=500, adult_first_dose_pct=10))
        assert (result.level, result.cell["adjustment"]) == (4, "none")
        assert "đã ở cấp 4" in result.steps[-1]

    def test_band_4_with_coverage_and_capacity_met_is_3(self) -> None:
        assert level_4800(cases_per_100k_week=150, capacity_met=True) == 3
        assert level_4800(cases_per_100k_week=150, capacity_met=False) == 4
        assert level_4800(cases_per_100k_week=149.99, capacity_met=True) == 3  # band 3 stays 3
        assert level_4800(cases_per_100k_week=150, capacity_met=True, adult_first_dose_pct=69.9) == 4

    def test_capacity_from_facts(self) -> None:
        facts = {"capacity_met": None, "free_beds_per_100k": 20, "free_icu_beds_per_100k": 1, "home_care_ready_pct": 80}
        assert level_4800(cases_per_100k_week=200, **facts) == 3
        for key, below in (
            ("free_beds_per_100k", 19.99),
            ("free_icu_beds_per_100k", 0.99),
            ("home_care_ready_pct", 79.9),
        ):
            assert level_4800(cases_per_100k_week=200, **{**facts, key: below}) == 4, key
        assert level_4800(cases_per_100k_week=200, **{**facts, "free_beds_per_100k": None}) == 4

    def test_missing_data_is_conservative(self) -> None:
        result = evaluate(params=P4800, indicators=replace(MET_4800, cases=5, population=None))
        assert result.level == 4 and "thận trọng" in result.steps[0]
        result = evaluate(params=P4800, indicators=Indicators(cases=0, population=None))
        assert result.level == 2 and result.criteria == {"coverage_met": False, "capacity_met": False}
        assert any("coi là chưa đạt" in step for step in result.steps)

    def test_switches(self) -> None:
        params = {
            **P4800,
            "combine": {"raise_if_coverage_not_met": False, "lower_band_4_if_coverage_and_capacity_met": False},
        }
        assert (
            evaluate(params=params, indicators=replace(MET_4800, cases_per_100k_week=10, adult_first_dose_pct=1)).level
            == 1
        )
        assert (
            evaluate(params=params, indicators=replace(MET_4800, cases_per_100k_week=150, capacity_met=True)).level == 4
        )


class Rule218Tests(SimpleTestCase):
    MATRIX = {"high": [1, 1, 2, 3], "medium": [1, 2, 3, 4], "low": [2, 3, 4, 4]}

    def test_every_matrix_cell(self) -> None:
        for column, levels in self.MATRIX.items():
            for row, rate in enumerate((10, 30, 100, 200), start=1):
                result = evaluate(params=P218, indicators=Indicators(cases_per_100k_week=rate, capacity=column))
                assert (result.transmission, result.capacity, result.level) == (row, column, levels[row - 1])
                assert (result.cell["row"], result.cell["column"]) == (row, column)

    def test_transmission_thresholds_on_both_sides(self) -> None:
        for name, cuts in (("cases_per_100k_week", (20, 50, 150)), ("oxygen_per_100k_week", (5, 10, 30)),
                           ("deaths_per_100k_week", (1, 2, 5))):  # fmt: skip
            for level, cut in enumerate(cuts, start=2):
                below = evaluate(
                    params=P218, indicators=replace(MET_218, **{"cases_per_100k_week": 0, name: cut - 0.01})
                )
                at = evaluate(params=P218, indicators=replace(MET_218, **{"cases_per_100k_week": 0, name: cut}))
                assert (below.transmission, at.transmission) == (level - 1, level), (name, cut)

    def test_highest_indicator_wins_and_missing_ones_are_said(self) -> None:
        result = evaluate(params=P218, indicators=replace(MET_218, cases=10, population=100000, deaths=3))
        # cases 5/100k/week → 1, deaths 1.5 → 2, oxygen unknown.
        assert result.transmission == 2 and result.cell["indicator_levels"] == {
            "cases_per_100k_week": 1, "deaths_per_100k_week": 2}  # fmt: skip
        assert any("Người bệnh cần thở oxy: không có số liệu" in step for step in result.steps)

    def test_capacity_by_criteria_met(self) -> None:
        base = replace(MET_218, cases_per_100k_week=100)  # transmission 3
        assert (evaluate(params=P218, indicators=base).capacity, evaluate(params=P218, indicators=base).level) == (
            "high",
            2,
        )
        two = replace(base, home_care_ready_pct=79.9)
        assert (evaluate(params=P218, indicators=two).capacity, evaluate(params=P218, indicators=two).level) == (
            "medium",
            3,
        )
        one = replace(two, adult_primary_pct=69.9)
        assert (evaluate(params=P218, indicators=one).capacity, evaluate(params=P218, indicators=one).level) == (
            "low",
            4,
        )
        assert evaluate(params=P218, indicators=replace(one, free_icu_beds_per_100k=None)).capacity == "low"
        assert evaluate(params=P218, indicators=replace(base, over_50_primary_pct=79.9)).capacity == "medium"
        assert (
            evaluate(params=P218, indicators=replace(base, adult_primary_pct=70, over_50_primary_pct=80)).capacity
            == "high"
        )
