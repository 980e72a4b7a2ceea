"""Triage of one health declaration: warning signs, severity class and alert level by the rules in force on its date.

Deterministic and free of database access: the rule sets are read once per process and compiled once per code.
Levels are `cases.models.AlertLevel` values; which sign is an emergency is part of the triage rule data.
"""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from phongdich.cases.models import AlertLevel, Severity
from phongdich.rules.registry import RuleSet, rule_set_by_code, rule_set_in_force, rule_set_in_force_or_none
from phongdich.rules.thresholds import Band, Threshold, age_in_months, band_for, number


@dataclass(frozen=True)
class Vitals:
    resp_rate: int | None = None  # nhịp thở, /phút
    pulse: int | None = None  # mạch, /phút
    temperature: float | None = None  # °C
    spo2: int | None = None  # %
    spo2_remeasured: int | None = None  # second reading 30 s – 1 min later (re-measure rule of 261)
    bp_systolic: int | None = None
    bp_diastolic: int | None = None
    symptoms: frozenset[str] = frozenset()  # codes from symptoms_in_force()


@dataclass(frozen=True)
class Sign:
    code: str  # stable, e.g. "spo2", "resp_rate", "pulse", "bp", "dyspnoea", ...
    text: str  # Vietnamese, with the numbers: "SpO2 95% ≤ 96%"


@dataclass(frozen=True)
class TriageResult:
    level: int  # AlertLevel
    signs: tuple[Sign, ...]  # most serious first
    severity: str  # Severity value, "" when it cannot be told
    rule_sets: tuple[str, ...]  # codes of the warning-sign and severity rule sets used
    remeasure_spo2: bool  # first SpO2 reading abnormal and no second reading given: ask to re-measure


# --- compiled rule sets -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _TriageRules:
    code: str
    resp_rate: tuple[Band, ...]
    unknown_age_months: int
    spo2: Threshold | None
    spo2_remeasure: bool
    pulse_high: Threshold | None
    pulse_low: Threshold | None
    systolic: Threshold | None
    diastolic: Threshold | None
    fever: Threshold | None
    warning_symptoms: tuple[tuple[str, str], ...]
    emergency_signs: frozenset[str]
    warning_level: int
    emergency_level: int
    mild_level: int
    severity_levels: dict[str, int]


@dataclass(frozen=True, slots=True)
class _SeverityRules:
    code: str
    document: str
    asymptomatic: bool
    adult_from_months: int
    unknown_age_months: int
    moderate_resp_rate: Threshold | None
    moderate_spo2: Threshold | None
    moderate_symptoms: tuple[tuple[str, str], ...]  # (code, short label)
    severe_resp_rate: Threshold | None
    severe_spo2: Threshold | None


@lru_cache(maxsize=64)
def _triage_rules(code: str) -> _TriageRules:
    p = rule_set_by_code(code).params
    pulse = p.get("pulse") or {}
    bp = p.get("bp") or {}
    return _TriageRules(
        code=code,
        resp_rate=Band.parse_all(p.get("resp_rate")),
        unknown_age_months=p["unknown_age_months"],
        spo2=Threshold.parse(p.get("spo2")),
        spo2_remeasure=bool(p.get("spo2_remeasure")),
        pulse_high=Threshold.parse(pulse.get("high")),
        pulse_low=Threshold.parse(pulse.get("low")),
        systolic=Threshold.parse(bp.get("systolic")),
        diastolic=Threshold.parse(bp.get("diastolic")),
        fever=Threshold.parse(p.get("fever")),
        warning_symptoms=tuple((code, label) for code, label in p["warning_symptoms"]),
        emergency_signs=frozenset(p["emergency_signs"]),
        warning_level=p["warning_level"],
        emergency_level=p["emergency_level"],
        mild_level=p["mild_level"],
        severity_levels=dict(p["severity_levels"]),
    )


@lru_cache(maxsize=64)
def _severity_rules(code: str) -> _SeverityRules:
    rule_set = rule_set_by_code(code)
    p = rule_set.params
    return _SeverityRules(
        code=code,
        document=rule_set.document,
        asymptomatic=p["asymptomatic"],
        adult_from_months=p["adult_from_months"],
        unknown_age_months=p["unknown_age_months"],
        moderate_resp_rate=Threshold.parse(p["moderate"].get("resp_rate")),
        moderate_spo2=Threshold.parse(p["moderate"].get("spo2")),
        moderate_symptoms=tuple((code, label) for code, label in p["moderate"].get("symptoms", ())),
        severe_resp_rate=Threshold.parse(p["severe"].get("resp_rate")),
        severe_spo2=Threshold.parse(p["severe"].get("spo2")),
    )


@lru_cache(maxsize=64)
def _children_bands(code: str) -> tuple[Band, ...]:
    return Band.parse_all(rule_set_by_code(code).params["moderate_resp_rate"])


@lru_cache(maxsize=64)
def _mild_symptoms(code: str) -> tuple[tuple[str, str], ...]:
    return tuple((code, label) for code, label in rule_set_by_code(code).params["mild_symptoms"])


@lru_cache(maxsize=4096)
def _symptoms(on: date, family: str) -> tuple[tuple[str, str], ...]:
    mild = _mild_symptoms(rule_set_in_force(kind="eligibility", on=on, family=family).code)
    warning = _triage_rules(rule_set_in_force(kind="triage", on=on).code).warning_symptoms
    seen: set[str] = set()
    merged = []
    for code, label in (*mild, *warning):
        if code not in seen:
            seen.add(code)
            merged.append((code, label))
    return tuple(merged)


@lru_cache(maxsize=4096)
def _symptom_labels(on: date, family: str) -> dict[str, str]:
    return dict(_symptoms(on, family))


def symptoms_in_force(*, on: date, family: str | None = None) -> list[tuple[str, str]]:
    """(code, Vietnamese label) for the declaration form: the mild symptoms of the home-care guideline in force
    (the deployment's family) followed by the warning symptoms of the triage rules in force."""
    return list(_symptoms(on, family or settings.PHONGDICH_RULE_FAMILY))


def symptoms_check(*, symptoms: frozenset[str], on: date) -> None:
    """Refuse symptom codes that the form in force on `on` does not offer."""
    known = {code for code, _label in symptoms_in_force(on=on)}
    unknown = sorted(symptoms - known)
    if unknown:
        raise ValidationError(
            {"symptoms": _("Triệu chứng không có trong danh sách: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )


# --- plausible values ---------------------------------------------------------------------------

_VITAL_FIELDS = (
    # (field, limits key, unit)
    ("resp_rate", "resp_rate", " lần/phút"),
    ("pulse", "pulse", " lần/phút"),
    ("temperature", "temperature", " °C"),
    ("spo2", "spo2", "%"),
    ("spo2_remeasured", "spo2", "%"),
    ("bp_systolic", "bp_systolic", " mmHg"),
    ("bp_diastolic", "bp_diastolic", " mmHg"),
)


def _vital_label(field: str) -> str:
    return {
        "resp_rate": _("Nhịp thở"),
        "pulse": _("Mạch"),
        "temperature": _("Nhiệt độ"),
        "spo2": _("SpO2"),
        "spo2_remeasured": _("SpO2 đo lại"),
        "bp_systolic": _("Huyết áp tâm thu"),
        "bp_diastolic": _("Huyết áp tâm trương"),
    }[field]


def vitals_check(vitals: Vitals) -> None:
    """Refuse impossible readings (typing errors such as SpO2 140, 60 °C, a negative pulse) with Vietnamese messages.

    The plausible ranges are data (kind "vitals_limits"); they are not tied to a date, so the newest applies.
    """
    limits = rule_set_in_force(kind="vitals_limits", on=date.max).params
    errors: dict[str, str] = {}
    for field, key, unit in _VITAL_FIELDS:
        value = getattr(vitals, field)
        if value is None:
            continue
        low, high = limits[key]
        if not low <= value <= high:
            errors[field] = _("%(label)s %(value)s%(unit)s không hợp lý: phải từ %(low)s đến %(high)s%(unit)s.") % {
                "label": _vital_label(field),
                "value": number(value),
                "unit": unit,
                "low": number(low),
                "high": number(high),
            }
    if (
        "bp_systolic" not in errors
        and "bp_diastolic" not in errors
        and vitals.bp_systolic is not None
        and vitals.bp_diastolic is not None
        and vitals.bp_diastolic >= vitals.bp_systolic
    ):
        errors["bp_diastolic"] = _("Huyết áp tâm trương %(dia)s mmHg phải thấp hơn huyết áp tâm thu %(sys)s mmHg.") % {
            "dia": vitals.bp_diastolic,
            "sys": vitals.bp_systolic,
        }
    if errors:
        raise ValidationError(errors)


# --- triage ---------------------------------------------------------------------------------------


def triage(*, vitals: Vitals, age: int | None, on: date) -> TriageResult:
    """Warning signs, severity and alert level of one declaration by the rules in force on `on`.

    `age` in whole years (None: judged by the adult limits). Validate with `vitals_check` first.
    """
    rules = _triage_rules(rule_set_in_force(kind="triage", on=on).code)
    months = age_in_months(age=age, age_months=None, unknown=rules.unknown_age_months)
    found: list[tuple[int, Sign]] = []

    # SpO2: a second reading replaces the first; one abnormal reading counts and asks for a second.
    spo2 = vitals.spo2_remeasured if vitals.spo2_remeasured is not None else vitals.spo2
    remeasure = False
    if rules.spo2 is not None and spo2 is not None and rules.spo2.holds(spo2):
        if vitals.spo2_remeasured is not None and vitals.spo2 is not None:
            text = _("SpO2 đo lại %(reading)s (lần đầu %(first)s%%)") % {
                "reading": rules.spo2.describe(spo2, "%"),
                "first": vitals.spo2,
            }
        else:
            text = f"SpO2 {rules.spo2.describe(spo2, '%')}"
            remeasure = rules.spo2_remeasure and vitals.spo2_remeasured is None
        found.append((rules.warning_level, Sign("spo2", text)))

    rr = vitals.resp_rate
    band = band_for(rules.resp_rate, months)
    if rr is not None and band is not None and band.threshold.holds(rr):
        text = _("Nhịp thở %(rr)s lần/phút %(op)s %(limit)s (%(group)s)") % {
            "rr": rr,
            "op": band.threshold.symbol,
            "limit": number(band.threshold.value),
            "group": band.group,
        }
        found.append((rules.warning_level, Sign("resp_rate", text)))

    if vitals.pulse is not None:
        for limit in (rules.pulse_high, rules.pulse_low):
            if limit is not None and limit.holds(vitals.pulse):
                text = _("Mạch %(pulse)s lần/phút %(op)s %(limit)s") % {
                    "pulse": vitals.pulse,
                    "op": limit.symbol,
                    "limit": number(limit.value),
                }
                found.append((rules.warning_level, Sign("pulse", text)))

    low_bp = []
    if rules.systolic is not None and vitals.bp_systolic is not None and rules.systolic.holds(vitals.bp_systolic):
        low_bp.append(_("tâm thu %(value)s") % {"value": rules.systolic.describe(vitals.bp_systolic, " mmHg")})
    if rules.diastolic is not None and vitals.bp_diastolic is not None and rules.diastolic.holds(vitals.bp_diastolic):
        low_bp.append(_("tâm trương %(value)s") % {"value": rules.diastolic.describe(vitals.bp_diastolic, " mmHg")})
    if low_bp:
        found.append((rules.warning_level, Sign("bp", _("Huyết áp thấp: %(parts)s") % {"parts": "; ".join(low_bp)})))

    symptoms = vitals.symptoms
    warning_codes = set()
    for code, label in rules.warning_symptoms:
        warning_codes.add(code)
        if code in symptoms:
            level = rules.emergency_level if code in rules.emergency_signs else rules.warning_level
            found.append((level, Sign(code, label)))

    mild: list[Sign] = []
    fever_measured = (
        rules.fever is not None and vitals.temperature is not None and rules.fever.holds(vitals.temperature)
    )
    if fever_measured:
        assert rules.fever is not None and vitals.temperature is not None
        mild.append(Sign("fever", _("Nhiệt độ %(value)s") % {"value": rules.fever.describe(vitals.temperature, " °C")}))
    if symptoms - warning_codes:
        labels = _symptom_labels(on, settings.PHONGDICH_RULE_FAMILY)
        for code in sorted(symptoms - warning_codes):
            if code == "fever" and fever_measured:
                continue
            mild.append(Sign(code, labels.get(code, code)))
    found.extend((rules.mild_level, sign) for sign in mild)

    severity, severity_reasons, rule_sets = _severity(vitals, spo2, months, bool(symptoms) or fever_measured, on)
    level = max((lvl for lvl, _sign in found), default=AlertLevel.NONE)
    severity_level = rules.severity_levels.get(severity, AlertLevel.NONE)
    if severity_level > level:
        level = severity_level
        text = _("Mức độ %(severity)s: %(reasons)s") % {
            "severity": Severity(severity).label.lower(),
            "reasons": "; ".join(severity_reasons),
        }
        found.append((severity_level, Sign("severity", text)))

    found.sort(key=lambda item: -item[0])  # stable: within a level, the order of the rule list
    return TriageResult(
        level=int(level),
        signs=tuple(sign for _lvl, sign in found),
        severity=severity,
        rule_sets=(rules.code, *rule_sets),
        remeasure_spo2=remeasure,
    )


def _severity(
    vitals: Vitals, spo2: int | None, months: tuple[int, int], has_symptoms: bool, on: date
) -> tuple[str, list[str], tuple[str, ...]]:
    """(Severity value or "", the reasons for moderate or worse, the codes of the severity rule sets used)."""
    rule_set: RuleSet | None = rule_set_in_force_or_none(kind="severity", on=on)
    if rule_set is None:
        return "", [], ()
    rules = _severity_rules(rule_set.code)
    used: tuple[str, ...] = (rules.code,)
    rr = vitals.resp_rate
    adult = months[0] >= rules.adult_from_months
    children_bands: tuple[Band, ...] = ()
    if not adult:
        children = rule_set_in_force_or_none(kind="severity_children", on=on)
        if children is not None:
            children_bands = _children_bands(children.code)
            used = (*used, children.code)

    def spo2_reason(limit: Threshold) -> str:
        return f"SpO2 {limit.describe(spo2, '%')}"  # type: ignore[arg-type]

    def rr_reason(limit: Threshold, group: str = "") -> str:
        text = _("nhịp thở %(rr)s") % {"rr": limit.describe(rr, " lần/phút", "")}  # type: ignore[arg-type]
        return f"{text} ({group})" if group else text

    severe = []
    if rules.severe_spo2 is not None and spo2 is not None and rules.severe_spo2.holds(spo2):
        severe.append(spo2_reason(rules.severe_spo2))
    if adult and rules.severe_resp_rate is not None and rr is not None and rules.severe_resp_rate.holds(rr):
        severe.append(rr_reason(rules.severe_resp_rate))
    if severe:
        return Severity.SEVERE.value, severe, used

    moderate = []
    if rules.moderate_spo2 is not None and spo2 is not None and rules.moderate_spo2.holds(spo2):
        moderate.append(spo2_reason(rules.moderate_spo2))
    if rr is not None:
        if adult and rules.moderate_resp_rate is not None and rules.moderate_resp_rate.holds(rr):
            moderate.append(rr_reason(rules.moderate_resp_rate))
        band = band_for(children_bands, months) if children_bands else None
        if band is not None and band.threshold.holds(rr):
            moderate.append(rr_reason(band.threshold, band.group))
    moderate.extend(label for code, label in rules.moderate_symptoms if code in vitals.symptoms)
    if moderate:
        return Severity.MODERATE.value, moderate, used

    if spo2 is None or rr is None:
        return "", [], used
    if rules.asymptomatic and not has_symptoms:
        return Severity.ASYMPTOMATIC.value, [], used
    return Severity.MILD.value, [], used
