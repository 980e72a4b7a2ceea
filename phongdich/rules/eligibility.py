"""Home-care eligibility of an F0 by the rule set in force on the positive date, with its reasons in Vietnamese.

A rule set (kind "eligibility") lists the criteria that are all required (`require`) and, for 4038, groups of
which one must hold (`any_of`). Each criterion answers met, failed or missing data, with a sentence.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from phongdich.rules.registry import rule_set_in_force
from phongdich.rules.release import fully_vaccinated
from phongdich.rules.thresholds import Band, Threshold, age_in_months, band_for
from phongdich.rules.triage import symptoms_in_force


@dataclass(frozen=True)
class EligibilityFacts:
    age: int | None  # whole years
    age_months: int | None  # total age in months; only matters for infants (Hà Nội: ≥ 3 months)
    spo2: int | None
    resp_rate: int | None
    abnormal_breathing: bool
    symptoms: frozenset[str]
    has_condition: bool
    conditions_stable: bool
    pregnant: bool
    vaccine_doses: int | None
    last_dose_on: date | None
    can_self_care: bool


@dataclass(frozen=True)
class EligibilityDecision:
    eligible: bool | None  # None = not enough data to decide (reasons say what is missing)
    reasons: tuple[str, ...]  # one per failed/missing criterion; when eligible, the criteria met
    rule_set: str
    rule_label: str

    def as_json(self) -> dict:
        return {
            "eligible": self.eligible,
            "reasons": list(self.reasons),
            "rule_set": self.rule_set,
            "rule_label": self.rule_label,
        }


MET, FAILED, MISSING = "met", "failed", "missing"
Outcome = tuple[str, str] | None  # (MET | FAILED | MISSING, sentence); None when the criterion does not apply


@dataclass(frozen=True)
class _Context:
    facts: EligibilityFacts
    params: dict[str, Any]
    on: date
    family: str | None


def _symptoms(ctx: _Context) -> Outcome:
    mild = {code for code, _label in ctx.params["mild_symptoms"]}
    other = ctx.facts.symptoms - mild
    if other:
        labels = dict(symptoms_in_force(on=ctx.on, family=ctx.family))
        names = ", ".join(labels.get(code, code) for code in sorted(other))
        return FAILED, _("Có triệu chứng ngoài nhóm nhẹ: %(names)s") % {"names": names}
    if ctx.facts.symptoms:
        return MET, _("Chỉ có triệu chứng nhẹ")
    return MET, _("Không có triệu chứng")


def _resp_rate(ctx: _Context) -> Outcome:
    facts = ctx.facts
    months = age_in_months(age=facts.age, age_months=facts.age_months, unknown=ctx.params["unknown_age_months"])
    band = band_for(Band.parse_all(ctx.params["resp_rate"]), months)
    if band is None:
        return None  # no limit for this age (infants under 261, children under 4038)
    if facts.resp_rate is None:
        return MISSING, _("Chưa có nhịp thở")
    text = _("Nhịp thở %(rr)s (%(group)s)") % {
        "rr": band.threshold.describe(facts.resp_rate, " lần/phút", ""),
        "group": band.group,
    }
    return (MET if band.threshold.holds(facts.resp_rate) else FAILED), text


def _spo2(ctx: _Context) -> Outcome:
    limit = Threshold.parse(ctx.params["spo2"])
    assert limit is not None
    if ctx.facts.spo2 is None:
        return MISSING, _("Chưa có SpO2")
    return (MET if limit.holds(ctx.facts.spo2) else FAILED), f"SpO2 {limit.describe(ctx.facts.spo2, '%')}"


def _breathing(ctx: _Context) -> Outcome:
    if ctx.facts.abnormal_breathing:
        return FAILED, _("Thở bất thường (thở rên, rút lõm lồng ngực, phập phồng cánh mũi, khò khè, thở rít)")
    return MET, _("Không thở bất thường")


def _no_condition(ctx: _Context) -> Outcome:
    if ctx.facts.has_condition:
        return FAILED, _("Có bệnh nền")
    return MET, _("Không có bệnh nền")


def _condition_stable(ctx: _Context) -> Outcome:
    if not ctx.facts.has_condition:
        return MET, _("Không có bệnh nền")
    if ctx.facts.conditions_stable:
        return MET, _("Bệnh nền đã điều trị ổn định")
    return FAILED, _("Bệnh nền chưa ổn định")


def _not_pregnant(ctx: _Context) -> Outcome:
    if ctx.facts.pregnant:
        return FAILED, _("Đang mang thai")
    return MET, _("Không mang thai")


def _age(ctx: _Context) -> Outcome:
    facts, rule = ctx.facts, ctx.params["age"]
    min_months, max_years = rule["min_months"], rule["max_years"]
    span = _("từ %(min)s tháng đến %(max)s tuổi") % {"min": min_months, "max": max_years}
    if facts.age is None and facts.age_months is None:
        return MISSING, _("Chưa có tuổi")
    years = facts.age if facts.age is not None else facts.age_months // 12  # type: ignore[operator]
    low, high = age_in_months(age=facts.age, age_months=facts.age_months, unknown=0)
    shown = _("%(n)s tháng tuổi") % {"n": facts.age_months} if years < 1 and facts.age_months is not None else None
    shown = shown or _("%(n)s tuổi") % {"n": years}
    if years > max_years or high < min_months:
        return FAILED, _("Tuổi: %(age)s, ngoài khoảng %(span)s") % {"age": shown, "span": span}
    if low < min_months:
        return MISSING, _("Cần số tháng tuổi của trẻ (điều kiện %(span)s)") % {"span": span}
    return MET, _("Tuổi: %(age)s, trong khoảng %(span)s") % {"age": shown, "span": span}


def _vaccinated(ctx: _Context) -> Outcome:
    facts = ctx.facts
    options = ctx.params["vaccinated"]
    wanted = _(" hoặc ").join(
        _("%(doses)s mũi") % {"doses": o["min_doses"]}
        if not o["min_days"]
        else _("%(doses)s mũi từ %(days)s ngày trước") % {"doses": o["min_doses"], "days": o["min_days"]}
        for o in options
    )
    if facts.vaccine_doses is None:
        return MISSING, _("Chưa có số mũi vắc xin (điều kiện: %(wanted)s)") % {"wanted": wanted}
    days = (ctx.on - facts.last_dose_on).days if facts.last_dose_on is not None else None
    unknown_date = False
    for option in options:
        if facts.vaccine_doses < option["min_doses"]:
            continue
        if not option["min_days"] or (days is not None and days >= option["min_days"]):
            return MET, _("Đã tiêm %(doses)s mũi (điều kiện: %(wanted)s)") % {
                "doses": facts.vaccine_doses,
                "wanted": wanted,
            }
        unknown_date = unknown_date or days is None
    if unknown_date:
        return MISSING, _("Chưa có ngày tiêm mũi cuối (điều kiện: %(wanted)s)") % {"wanted": wanted}
    return FAILED, _("Chưa đủ điều kiện tiêm chủng: %(doses)s mũi (cần %(wanted)s)") % {
        "doses": facts.vaccine_doses,
        "wanted": wanted,
    }


def _fully_vaccinated(ctx: _Context) -> Outcome:
    facts = ctx.facts
    status = fully_vaccinated(doses=facts.vaccine_doses, last_dose_on=facts.last_dose_on, on=ctx.on)
    rule = rule_set_in_force(kind="vaccination_status", on=ctx.on)
    if status is None:
        return MISSING, _("Chưa đủ thông tin tiêm chủng (số mũi, ngày tiêm mũi cuối)")
    if status:
        return MET, _("Đã tiêm đủ liều (%(rule)s)") % {"rule": rule.label}
    return FAILED, _("Chưa tiêm đủ liều (%(rule)s)") % {"rule": rule.label}


def _self_care(ctx: _Context) -> Outcome:
    if ctx.facts.can_self_care:
        return MET, _("Tự chăm sóc được hoặc có người chăm sóc")
    return FAILED, _("Không tự chăm sóc được và không có người chăm sóc")


CRITERIA: dict[str, Callable[[_Context], Outcome]] = {
    "symptoms": _symptoms,
    "resp_rate": _resp_rate,
    "spo2": _spo2,
    "breathing": _breathing,
    "no_condition": _no_condition,
    "condition_stable": _condition_stable,
    "not_pregnant": _not_pregnant,
    "age": _age,
    "vaccinated": _vaccinated,
    "fully_vaccinated": _fully_vaccinated,
    "self_care": _self_care,
}


def _status(outcomes: list[tuple[str, str]]) -> str:
    states = {state for state, _text in outcomes}
    if FAILED in states:
        return FAILED
    if MISSING in states:
        return MISSING
    return MET


def _evaluate(names: list[str], ctx: _Context) -> list[tuple[str, str]]:
    return [outcome for name in names if (outcome := CRITERIA[name](ctx)) is not None]


def eligibility_assess(*, facts: EligibilityFacts, on: date, family: str | None = None) -> EligibilityDecision:
    """Whether the F0 may be cared for at home by the rule set in force on `on` (the positive date) for the
    deployment's family (or `family`)."""
    rule_set = rule_set_in_force(kind="eligibility", on=on, family=family)
    ctx = _Context(facts=facts, params=rule_set.params, on=on, family=family)
    outcomes = _evaluate(rule_set.params["require"], ctx)

    groups = rule_set.params.get("any_of")
    alternatives_status, alternatives_unmet = MET, []
    if groups:
        evaluated = [_evaluate(names, ctx) for names in groups]
        met = [group for group in evaluated if _status(group) == MET]
        if met:
            outcomes += met[0]
        else:
            # None of the alternatives holds: each one's failed or missing criteria are reasons.
            alternatives_status = MISSING if any(_status(group) == MISSING for group in evaluated) else FAILED
            alternatives_unmet = [text for group in evaluated for state, text in group if state != MET]

    states = {state for state, _text in outcomes} | {alternatives_status}
    eligible = False if FAILED in states else None if MISSING in states else True
    if eligible:
        reasons = tuple(text for _state, text in outcomes)
    else:
        reasons = (*(text for state, text in outcomes if state != MET), *alternatives_unmet)
    return EligibilityDecision(eligible=eligible, reasons=reasons, rule_set=rule_set.code, rule_label=rule_set.label)
