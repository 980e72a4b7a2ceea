"""The levels API: the what-if calculator (stores nothing) and the assessments of the user's area.

`POST /api/v1/levels/evaluate` — {rule_set | date, version?, indicators} → level and its reasoning; without a
rule set or a date, the rule set in force today. `GET /api/v1/levels?date=&level=&kind=` — one cut-off day.
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from phongdich.accounts.api_auth import require_perm
from phongdich.accounts.models import User
from phongdich.accounts.roles import Perm
from phongdich.levels.evaluate import CAPACITY_COLUMNS, Indicators, evaluate
from phongdich.levels.models import LEVEL_COLOURS, AssessmentKind, Level
from phongdich.levels.selectors import levels_table
from phongdich.levels.versions import KIND, rule_version_current, rule_version_get
from phongdich.rules.registry import NoRuleInForce, RuleSet, rule_set_by_code, rule_set_in_force

router = Router(tags=["levels"])
Day = date  # a field is named `date`: its annotation must not read the field itself

COUNTS = ("cases", "oxygen", "deaths")
RATES = ("cases_per_100k_week", "oxygen_per_100k_week", "deaths_per_100k_week", "free_beds_per_100k",
         "free_icu_beds_per_100k")  # fmt: skip
PERCENTS = ("adult_first_dose_pct", "adult_primary_pct", "over_50_primary_pct", "home_care_ready_pct")


class IndicatorsIn(Schema):
    cases: float | None = None
    population: float | None = None
    cases_per_100k_week: float | None = None
    oxygen: float | None = None
    oxygen_per_100k_week: float | None = None
    deaths: float | None = None
    deaths_per_100k_week: float | None = None
    adult_first_dose_pct: float | None = None
    adult_primary_pct: float | None = None
    over_50_primary_pct: float | None = None
    free_beds_per_100k: float | None = None
    free_icu_beds_per_100k: float | None = None
    home_care_ready_pct: float | None = None
    capacity_met: bool | None = None
    capacity: str | None = None


class EvaluateIn(Schema):
    rule_set: str | None = None
    date: Day | None = None
    version: int | None = None
    indicators: IndicatorsIn


class EvaluateOut(Schema):
    level: int
    level_label: str
    colour: str
    transmission: int | None
    capacity: str
    rule_set: str
    rule_set_label: str
    rule_version: int
    steps: list[str]
    cell: dict[str, Any]
    used: dict[str, Any]
    criteria: dict[str, bool]


class AssessmentOut(Schema):
    area_id: int
    area_code: str
    area_name: str
    area_level: int
    cutoff_on: date
    kind: str
    level: int
    colour: str
    transmission: int | None
    capacity: str
    rule_set: str
    rule_version: int
    cell: dict[str, Any]
    inputs: dict[str, Any]
    reasoning: list[str]
    computed_at: datetime
    previous_level: int | None


def _indicators(data: IndicatorsIn) -> Indicators:
    """Check the what-if indicators; every message names its field."""
    errors: dict[str, str] = {}
    values = data.dict()
    for name in (*COUNTS, "population"):
        value = values[name]
        if value is not None and (value < 0 or not float(value).is_integer()):
            errors[f"indicators.{name}"] = _("“%(f)s” phải là số nguyên không âm.") % {"f": name}
    if values["population"] is not None and values["population"] < 1:
        errors["indicators.population"] = _("Dân số phải lớn hơn 0.")
    for name in RATES:
        if values[name] is not None and values[name] < 0:
            errors[f"indicators.{name}"] = _("“%(f)s” không được âm.") % {"f": name}
    for name in PERCENTS:
        if values[name] is not None and not 0 <= values[name] <= 100:
            errors[f"indicators.{name}"] = _("“%(f)s” là tỷ lệ phần trăm, từ 0 đến 100.") % {"f": name}
    if values["capacity"] is not None and values["capacity"] not in CAPACITY_COLUMNS:
        errors["indicators.capacity"] = _("Khả năng đáp ứng phải là high, medium hoặc low.")
    if values["cases_per_100k_week"] is None:
        if values["cases"] is None:
            errors["indicators.cases"] = _("Cần số ca mắc mới (kèm dân số) hoặc tỷ lệ ca/100.000 dân/tuần.")
        elif values["cases"] and not values["population"]:
            errors["indicators.population"] = _("Cần dân số để tính tỷ lệ ca/100.000 dân/tuần.")
    if errors:
        raise ValidationError(errors)
    for name in (*COUNTS, "population"):
        if values[name] is not None:
            values[name] = int(values[name])
    return Indicators(**values)


def _rule_set(data: EvaluateIn) -> RuleSet:
    if data.rule_set:
        try:
            rule = rule_set_by_code(data.rule_set.strip())
        except NoRuleInForce:
            rule = None
        if rule is None or rule.kind != KIND:
            raise ValidationError({"rule_set": _("Không có quy định cấp độ dịch mã “%(c)s”.") % {"c": data.rule_set}})
        return rule
    on = data.date or timezone.localdate()
    try:
        return rule_set_in_force(kind=KIND, on=on)
    except NoRuleInForce:
        raise ValidationError(
            {"date": _("Chưa có quy định đánh giá cấp độ dịch vào ngày %(d)s.") % {"d": f"{on:%d/%m/%Y}"}}
        ) from None


@router.post("/evaluate", response=EvaluateOut, url_name="levels_evaluate")
def evaluate_endpoint(request: HttpRequest, payload: EvaluateIn) -> dict[str, Any]:
    """The level these indicators give under a rule set (by code, or the one in force on `date`); nothing stored."""
    require_perm(request, Perm.CASE_VIEW)
    rule = _rule_set(payload)
    indicators = _indicators(payload.indicators)
    version = rule_version_get(rule.code, payload.version) if payload.version else rule_version_current(rule.code)
    result = evaluate(params=version.params, indicators=indicators)
    return {
        **result.as_json(), "level_label": str(Level(result.level).label), "colour": LEVEL_COLOURS[result.level],
        "rule_set": rule.code, "rule_set_label": rule.label, "rule_version": version.number,
    }  # fmt: skip


class ListFilters(Schema):
    date: Day | None = None
    level: int | None = None
    kind: str | None = None
    district: int | None = None


@router.get("", response=list[AssessmentOut])
def assessment_list(request: HttpRequest, filters: Query[ListFilters]) -> list[dict[str, Any]]:
    """The assessments of one cut-off day (default: the newest) in the user's area, with the previous weekly level."""
    user: User = require_perm(request, Perm.CASE_VIEW)
    if filters.kind and filters.kind not in AssessmentKind.values:
        raise ValidationError({"kind": _("Loại đánh giá phải là weekly hoặc on_demand.")})
    if filters.level is not None and filters.level not in Level.values:
        raise ValidationError({"level": _("Cấp độ phải từ 1 đến 4.")})
    _day, rows = levels_table(user=user, cutoff_on=filters.date, kind=filters.kind, district_id=filters.district,
                              level=filters.level)  # fmt: skip
    return [
        {
            "area_id": r.area.pk,
            "area_code": r.area.code,
            "area_name": r.area.name,
            "area_level": r.area.level,
            "cutoff_on": r.assessment.cutoff_on,
            "kind": r.assessment.kind,
            "level": r.assessment.level,
            "colour": LEVEL_COLOURS[r.assessment.level],
            "transmission": r.assessment.transmission,
            "capacity": r.assessment.capacity,
            "rule_set": r.assessment.rule_set,
            "rule_version": r.assessment.rule_version,
            "cell": r.assessment.cell,
            "inputs": r.assessment.inputs,
            "reasoning": r.assessment.reasoning,
            "computed_at": r.assessment.computed_at,
            "previous_level": r.previous.level if r.previous else None,
        }
        for r in rows
    ]
