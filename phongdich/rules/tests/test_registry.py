"""The rule registry: which rule set is in force on a date, for the deployment's family; the data files themselves."""

import json
from datetime import date

from django.test import SimpleTestCase, override_settings

from phongdich.rules.registry import (
    DATA_DIR,
    NoRuleInForce,
    rule_set_by_code,
    rule_set_in_force,
    rule_set_in_force_or_none,
    rule_sets,
)
from phongdich.rules.triage import _severity_rules, _triage_rules

KINDS = (
    "eligibility",
    "triage",
    "severity",
    "severity_children",
    "release",
    "vaccination_status",
    "vitals_limits",
    "vaccination_schedule",
    "quarantine",
    "contact_definition",
    "f1_symptoms",
    "epidemic_level",
)


class InForceTests(SimpleTestCase):
    def test_latest_in_force_on_the_date(self) -> None:
        for kind, on, code in (
            ("triage", date(2021, 8, 21), "TRIAGE-4038"),
            ("triage", date(2022, 1, 30), "TRIAGE-4038"),
            ("triage", date(2022, 1, 31), "TRIAGE-261"),
            ("triage", date(2022, 3, 13), "TRIAGE-261"),
            ("triage", date(2022, 3, 14), "TRIAGE-604"),
            ("triage", date(2023, 1, 1), "TRIAGE-604"),
            ("severity", date(2021, 10, 6), "SEVERITY-4689"),
            ("severity", date(2022, 1, 28), "SEVERITY-250"),
            ("release", date(2021, 12, 28), "RELEASE-11011"),
            ("release", date(2022, 2, 21), "RELEASE-762"),
            ("vaccination_status", date(2021, 12, 15), "VACCINATED-BEFORE-10696"),
            ("vaccination_status", date(2021, 12, 16), "VACCINATED-10696"),
            ("vaccination_status", date(2022, 2, 21), "VACCINATED-762"),
        ):
            assert rule_set_in_force(kind=kind, on=on, family="moh").code == code, (kind, on)

    def test_nothing_in_force_before_the_first_document(self) -> None:
        with self.assertRaises(NoRuleInForce):
            rule_set_in_force(kind="triage", on=date(2021, 8, 20))
        assert rule_set_in_force_or_none(kind="severity", on=date(2021, 10, 5)) is None
        assert rule_set_in_force_or_none(kind="severity", on=date(2021, 10, 6)) is not None

    def test_family_argument(self) -> None:
        on = date(2021, 12, 7)
        assert rule_set_in_force(kind="eligibility", on=on, family="hanoi").code == "ELIGIBILITY-HANOI-2021-12"
        assert rule_set_in_force(kind="eligibility", on=on, family="moh").code == "ELIGIBILITY-4038"
        assert rule_set_in_force(kind="eligibility", on=date(2021, 12, 6), family="hanoi").code == "ELIGIBILITY-4038"

    @override_settings(PHONGDICH_RULE_FAMILY="moh")
    def test_family_setting_moh(self) -> None:
        assert rule_set_in_force(kind="eligibility", on=date(2022, 1, 1)).code == "ELIGIBILITY-4038"

    @override_settings(PHONGDICH_RULE_FAMILY="hanoi")
    def test_family_setting_hanoi(self) -> None:
        assert rule_set_in_force(kind="eligibility", on=date(2022, 1, 1)).code == "ELIGIBILITY-HANOI-2021-12"
        # The ministry's newer rule replaces the city's older one.
        assert rule_set_in_force(kind="eligibility", on=date(2022, 1, 31)).code == "ELIGIBILITY-261"

    def test_by_code(self) -> None:
        rule_set = rule_set_by_code("TRIAGE-261")
        assert (rule_set.kind, rule_set.document, rule_set.label) == (
            "triage",
            "QĐ 261/QĐ-BYT",
            "QĐ 261/QĐ-BYT (31/01/2022)",
        )
        with self.assertRaises(NoRuleInForce):
            rule_set_by_code("KHONG-CO")


class DataFileTests(SimpleTestCase):
    def test_files_are_named_by_kind_and_date_and_carry_their_sources(self) -> None:
        seen = set()
        for path in sorted(DATA_DIR.glob("*.json")):
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw["kind"] not in KINDS:
                continue
            seen.add(raw["kind"])
            assert path.name.startswith(raw["kind"] + "-"), path.name
            assert path.name.endswith(raw["effective_from"] + ".json"), path.name
            assert raw["family"] in ("moh", "hanoi"), path.name
            assert raw["notes"], path.name
            assert raw["sources"] or raw["document"] == "phongdich", path.name
        assert seen == set(KINDS)

    def test_every_rule_set_compiles(self) -> None:
        for rule_set in rule_sets():
            if rule_set.kind == "triage":
                compiled = _triage_rules(rule_set.code)
                assert compiled.emergency_signs <= {code for code, _label in compiled.warning_symptoms}
            elif rule_set.kind == "severity":
                _severity_rules(rule_set.code)

    def test_unconfirmed_rules_say_so(self) -> None:
        for code in (
            "TRIAGE-4038", "TRIAGE-604", "ELIGIBILITY-604", "RELEASE-4038", "SEVERITY-250", "LEVEL-4800", "LEVEL-218",
        ):  # fmt: skip
            assert "UNCONFIRMED" in rule_set_by_code(code).notes, code
