"""The epidemic level of one area from its indicators and a rule set's numbers: pure, no database.

Two methods, chosen by `params["method"]` (see docs/rules.md, "Epidemic levels"):

* "4800" — the band of the weekly case rate (1–4); +1 when the vaccination criterion is not met (never above 4);
  band 4 with vaccination and treatment capacity both met → 3.
* "218" — transmission level (the highest level among new cases, patients needing oxygen, deaths, each per
  100,000 per week) × response capacity (high / medium / low from how many of vaccination, beds and home care
  are met) → the matrix cell.

A missing indicator is never guessed low: an unknown case rate (cases but no population) counts as the highest
band; unknown coverage or capacity counts as "not met" (capacity "low"). Oxygen and deaths are optional under 218:
without them the transmission level rests on the indicators that are there, and the steps say so.
Every step is a Vietnamese sentence an officer can read out in a meeting.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _

CAPACITY_COLUMNS = ("high", "medium", "low")
CAPACITY_LABELS = {"high": "cao", "medium": "trung bình", "low": "thấp"}
MAX_LEVEL = 4


@dataclass(frozen=True)
class Indicators:
    """What an area's level is computed from. A rate given directly wins over a count + population."""

    cases: int | None = None  # new cases in the window (columns chosen by the rule set's case_scope)
    population: int | None = None
    cases_per_100k_week: float | None = None
    oxygen: int | None = None  # 218: patients needing oxygen in the window (see oxygen_moves)
    oxygen_per_100k_week: float | None = None
    deaths: int | None = None
    deaths_per_100k_week: float | None = None
    adult_first_dose_pct: float | None = None  # ≥ 18 with at least one dose
    adult_primary_pct: float | None = None  # ≥ 18 with the primary course complete
    over_50_primary_pct: float | None = None  # ≥ 50 with the primary course complete
    free_beds_per_100k: float | None = None  # the district's free COVID beds (the city's for the city)
    free_icu_beds_per_100k: float | None = None  # the city's free ICU beds
    home_care_ready_pct: float | None = None  # share of wards with a home-care team or mobile station
    capacity_met: bool | None = None  # 4800: the capacity criterion given directly (what-if)
    capacity: str | None = None  # 218: "high" / "medium" / "low" given directly (what-if)


@dataclass(frozen=True)
class Result:
    level: int
    transmission: int | None  # 218 only
    capacity: str  # 218: high / medium / low; "" under 4800
    steps: list[str]
    cell: dict[str, Any]  # 4800: {"band", "adjustment"}; 218: {"row", "column"}
    used: dict[str, Any]  # the indicator values used, rates included
    criteria: dict[str, bool] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def num(value: float | int | None) -> str:
    """A number the Vietnamese way: 8.053.663 and 19,99 (at most 2 decimals)."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    whole, _dot, decimals = f"{value:,.2f}".partition(".")
    return f"{whole.replace(',', '.')},{decimals.rstrip('0')}"


def weekly_rate(count: int | None, population: int | None, params: dict[str, Any]) -> float | None:
    """count in the window ÷ divisor ÷ population × per_population; 0 without cases, None when it can't be told."""
    if count is None:
        return None
    if count == 0:
        return 0.0
    if not population:
        return None
    return count / float(params["divisor"]) / population * float(params["per_population"])


def band(value: float, thresholds: list[float]) -> int:
    """1 + how many thresholds the value reaches (a threshold is the lowest value of the next level)."""
    return 1 + sum(1 for threshold in thresholds if value >= threshold)


def _thresholds(values: list[float]) -> str:
    return " / ".join(num(v) for v in values)


def _rate(
    steps: list[str], used: dict[str, Any], *, name: str, label: str, count: int | None, given: float | None,
    indicators: Indicators, params: dict[str, Any],
) -> float | None:  # fmt: skip
    """The weekly rate of one indicator (given, or computed from its count), with the step explaining it."""
    if given is not None:
        used[name] = given
        steps.append(
            _("%(label)s: %(rate)s /100.000 dân/tuần (nhập trực tiếp).") % {"label": label, "rate": num(given)}
        )
        return given
    rate = weekly_rate(count, indicators.population, params)
    if count is not None:
        used[name.replace("_per_100k_week", "")] = count
    used["population"] = indicators.population
    if rate is None:
        return None
    used[name] = round(rate, 2)
    steps.append(
        _("%(label)s: %(count)s trong %(window)s ngày ÷ %(divisor)s ÷ %(population)s dân × %(per)s = %(rate)s /100.000 dân/tuần.")
        % {
            "label": label, "count": num(count), "window": params["window_days"], "divisor": num(params["divisor"]),
            "population": num(indicators.population), "per": num(params["per_population"]), "rate": num(rate),
        }
    )  # fmt: skip
    return rate


def _coverage_met(steps: list[str], used: dict[str, Any], indicators: Indicators, thresholds: dict[str, float]) -> bool:
    labels = {
        "adult_first_dose_pct": _("người từ 18 tuổi tiêm ít nhất 1 mũi"),
        "adult_primary_pct": _("người từ 18 tuổi tiêm đủ liều cơ bản"),
        "over_50_primary_pct": _("người từ 50 tuổi tiêm đủ liều cơ bản"),
    }
    met = True
    parts = []
    for key, threshold in thresholds.items():
        value = getattr(indicators, key)
        used[key] = value
        if value is None:
            met = False
            parts.append(
                _("%(label)s: không có số liệu (ngưỡng ≥ %(t)s %%)") % {"label": labels[key], "t": num(threshold)}
            )
        else:
            met = met and value >= threshold
            parts.append(
                _("%(label)s %(v)s %% (ngưỡng ≥ %(t)s %%)")
                % {"label": labels[key], "v": num(value), "t": num(threshold)}
            )
    verdict = _("đạt") if met else _("chưa đạt")
    missing = any(getattr(indicators, key) is None for key in thresholds)
    note = _(" — thiếu số liệu được coi là chưa đạt (thận trọng)") if missing else ""
    steps.append(
        _("Tiêm chủng: %(parts)s → %(verdict)s%(note)s.")
        % {"parts": "; ".join(parts), "verdict": verdict, "note": note}
    )
    return met


def _capacity_facts(
    steps: list[str], used: dict[str, Any], indicators: Indicators, limits: dict[str, float]
) -> dict[str, bool]:
    """Beds (free COVID beds and free ICU beds) and home care, each met or not (unknown → not met)."""
    facts = {}
    for key in ("free_beds_per_100k", "free_icu_beds_per_100k", "home_care_ready_pct"):
        used[key] = getattr(indicators, key)
        facts[key] = used[key] is not None and used[key] >= limits[key]
    beds = facts["free_beds_per_100k"] and facts["free_icu_beds_per_100k"]
    steps.append(
        _("Giường: trống %(beds)s /100.000 dân (ngưỡng ≥ %(tb)s), hồi sức tích cực trống %(icu)s /100.000 dân "
          "(ngưỡng ≥ %(ti)s) → %(verdict)s.")
        % {"beds": num(used["free_beds_per_100k"]), "tb": num(limits["free_beds_per_100k"]),
           "icu": num(used["free_icu_beds_per_100k"]), "ti": num(limits["free_icu_beds_per_100k"]),
           "verdict": _("đạt") if beds else _("chưa đạt")}
    )  # fmt: skip
    steps.append(
        _("Chăm sóc F0 tại nhà: %(pct)s %% phường/xã có tổ chăm sóc F0 hoặc trạm y tế lưu động (ngưỡng ≥ %(t)s %%) → %(verdict)s.")
        % {"pct": num(used["home_care_ready_pct"]), "t": num(limits["home_care_ready_pct"]),
           "verdict": _("đạt") if facts["home_care_ready_pct"] else _("chưa đạt")}
    )  # fmt: skip
    if any(used[key] is None for key in facts):
        steps.append(_("Thiếu số liệu năng lực: phần thiếu được coi là chưa đạt (thận trọng)."))
    return {"beds": beds, "home_care": facts["home_care_ready_pct"]}


def _evaluate_4800(params: dict[str, Any], indicators: Indicators) -> Result:
    steps: list[str] = []
    used: dict[str, Any] = {}
    bands = [float(v) for v in params["case_bands"]]
    rate = _rate(steps, used, name="cases_per_100k_week", label=_("Ca mắc mới"), count=indicators.cases,
                 given=indicators.cases_per_100k_week, indicators=indicators, params=params)  # fmt: skip
    if rate is None:
        case_band = MAX_LEVEL
        steps.append(
            _("Không tính được tỷ lệ ca mắc (thiếu dân số hoặc số ca) → lấy dải cao nhất, cấp 4 (thận trọng).")
        )
    else:
        case_band = band(rate, bands)
        steps.append(_("Tiêu chí 1: %(rate)s ca/100.000 dân/tuần, ngưỡng %(t)s → dải cấp %(band)s.")
                     % {"rate": num(rate), "t": _thresholds(bands), "band": case_band})  # fmt: skip
    coverage_met = _coverage_met(steps, used, indicators, params["coverage"])
    if indicators.capacity_met is not None:
        capacity_met = indicators.capacity_met
        used["capacity_met"] = capacity_met
        steps.append(
            _("Năng lực điều trị (nhập trực tiếp): %(v)s.") % {"v": _("đạt") if capacity_met else _("chưa đạt")}
        )
    else:
        facts = _capacity_facts(steps, used, indicators, params["capacity"])
        capacity_met = facts["beds"] and facts["home_care"]
        steps.append(_("Tiêu chí 3, năng lực điều trị: %(v)s.") % {"v": _("đạt") if capacity_met else _("chưa đạt")})
    combine = params["combine"]
    level, adjustment = case_band, "none"
    if not coverage_met and combine["raise_if_coverage_not_met"]:
        level = min(case_band + 1, MAX_LEVEL)
        adjustment = "raised" if level > case_band else "none"
        if level > case_band:
            steps.append(
                _("Chưa đạt tiêu chí tiêm chủng: nâng 1 cấp, từ cấp %(a)s lên cấp %(b)s.")
                % {"a": case_band, "b": level}
            )
        else:
            steps.append(_("Chưa đạt tiêu chí tiêm chủng nhưng đã ở cấp 4 (cao nhất): giữ cấp 4."))
    elif (
        case_band == MAX_LEVEL
        and coverage_met
        and capacity_met
        and combine["lower_band_4_if_coverage_and_capacity_met"]
    ):
        level, adjustment = MAX_LEVEL - 1, "lowered"
        steps.append(_("Dải cấp 4 nhưng đạt cả tiêm chủng và năng lực điều trị: cấp 3."))
    else:
        steps.append(_("Không điều chỉnh: cấp %(level)s theo dải ca mắc.") % {"level": level})
    return Result(
        level=level, transmission=None, capacity="", steps=steps, cell={"band": case_band, "adjustment": adjustment},
        used=used, criteria={"coverage_met": coverage_met, "capacity_met": capacity_met},
    )  # fmt: skip


def _evaluate_218(params: dict[str, Any], indicators: Indicators) -> Result:
    steps: list[str] = []
    used: dict[str, Any] = {}
    bands = params["transmission"]
    levels: dict[str, int] = {}
    for name, label, count, given in (
        ("cases_per_100k_week", _("Ca mắc mới"), indicators.cases, indicators.cases_per_100k_week),
        ("oxygen_per_100k_week", _("Người bệnh cần thở oxy"), indicators.oxygen, indicators.oxygen_per_100k_week),
        ("deaths_per_100k_week", _("Tử vong"), indicators.deaths, indicators.deaths_per_100k_week),
    ):
        thresholds = [float(v) for v in bands[name]]
        rate = _rate(
            steps, used, name=name, label=label, count=count, given=given, indicators=indicators, params=params
        )
        if rate is not None:
            levels[name] = band(rate, thresholds)
            steps[-1] = steps[-1].rstrip(".") + _(" → mức %(level)s (ngưỡng %(t)s).") % {
                "level": levels[name], "t": _thresholds(thresholds)}  # fmt: skip
        elif name == "cases_per_100k_week":
            levels[name] = MAX_LEVEL
            steps.append(_("Không tính được tỷ lệ ca mắc (thiếu dân số hoặc số ca) → mức 4 (thận trọng)."))
        else:
            steps.append(_("%(label)s: không có số liệu, không dùng để xếp mức lây nhiễm.") % {"label": label})
    transmission = max(levels.values())
    steps.append(_("Mức độ lây nhiễm: %(level)s (mức cao nhất trong các chỉ số có số liệu).") % {"level": transmission})
    coverage_met = _coverage_met(steps, used, indicators, params["coverage"])
    limits = params["capacity"]
    if indicators.capacity is not None:
        capacity = indicators.capacity
        used["capacity"] = capacity
        steps.append(_("Khả năng đáp ứng (nhập trực tiếp): %(c)s.") % {"c": CAPACITY_LABELS[capacity]})
        criteria = {"coverage_met": coverage_met}
    else:
        facts = _capacity_facts(steps, used, indicators, limits)
        criteria = {"coverage_met": coverage_met, "beds_met": facts["beds"], "home_care_met": facts["home_care"]}
        met = sum(criteria.values())
        capacity = "high" if met >= limits["high_min_met"] else "medium" if met >= limits["medium_min_met"] else "low"
        steps.append(_("Khả năng đáp ứng: đạt %(met)s/3 tiêu chí (cao khi ≥ %(h)s, trung bình khi ≥ %(m)s) → %(c)s.")
                     % {"met": met, "h": limits["high_min_met"], "m": limits["medium_min_met"],
                        "c": CAPACITY_LABELS[capacity]})  # fmt: skip
    level = int(params["matrix"][capacity][transmission - 1])
    steps.append(_("Ma trận: mức lây nhiễm %(t)s × khả năng đáp ứng %(c)s → cấp %(level)s.")
                 % {"t": transmission, "c": CAPACITY_LABELS[capacity], "level": level})  # fmt: skip
    return Result(
        level=level, transmission=transmission, capacity=capacity, steps=steps,
        cell={"row": transmission, "column": capacity, "indicator_levels": levels}, used=used, criteria=criteria,
    )  # fmt: skip


METHODS = {"4800": _evaluate_4800, "218": _evaluate_218}


def evaluate(*, params: dict[str, Any], indicators: Indicators) -> Result:
    """The level of one area under a rule set version's `params`."""
    return METHODS[params["method"]](params, indicators)
