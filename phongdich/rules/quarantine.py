"""F1 quarantine by the rule set in force on the contact date; the F1 definition and symptom rule of that date.

Pure functions over the rule data (kinds "quarantine", "contact_definition", "f1_symptoms"); no database.
Days are counted with the contact date as day 1: a 14-day quarantine from 01/03 ends on 14/03, the day-7 test is
on 07/03. Self-monitoring follows the quarantine's last day (or, without quarantine, starts on the contact date).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _

from phongdich.rules.registry import RuleSet, rule_set_in_force
from phongdich.rules.release import _add_months
from phongdich.rules.thresholds import Threshold, number

PROTECTED = "protected"  # fully vaccinated or recently recovered: the shorter quarantine where the rule has one
OTHERS = "others"


@dataclass(frozen=True)
class QuarantinePlan:
    quarantine_until: date | None  # last day of quarantine; None: no quarantine (CV 1909)
    test_days: tuple[date, ...]
    monitor_until: date  # last day of self-monitoring / precautions
    test_when_symptomatic: bool
    group: str  # PROTECTED or OTHERS: which row of the rule set applied
    rule_set: str
    rule_label: str
    reasons: tuple[str, ...]  # Vietnamese, why this plan

    def as_json(self) -> dict[str, Any]:
        return {
            "quarantine_until": self.quarantine_until.isoformat() if self.quarantine_until else None,
            "test_days": [day.isoformat() for day in self.test_days],
            "monitor_until": self.monitor_until.isoformat(),
            "test_when_symptomatic": self.test_when_symptomatic,
            "group": self.group,
            "rule_set": self.rule_set,
            "rule_label": self.rule_label,
            "reasons": list(self.reasons),
        }


def day_n(contact_on: date, n: int) -> date:
    """Day `n` of the count that starts with the contact date as day 1."""
    return contact_on + timedelta(days=n - 1)


def recovered_within(*, recovered_on: date | None, contact_on: date, months: int) -> bool:
    """Recovered (or positive) on a date no later than the contact and at most `months` months before it."""
    if recovered_on is None or recovered_on > contact_on:
        return False
    return _add_months(recovered_on, months) >= contact_on


def quarantine_plan(*, contact_on: date, fully_vaccinated: bool | None, recovered_on: date | None) -> QuarantinePlan:
    """The quarantine, tests and self-monitoring of an F1 in contact on `contact_on`.

    `fully_vaccinated` is judged by the caller with `rules.release.fully_vaccinated` on the contact date (None:
    not known, which takes the longer quarantine); `recovered_on` is the latest release or positive date of an
    earlier infection. Raises `NoRuleInForce` before CV 5599/BYT-MT (14/07/2021)."""
    rule_set = rule_set_in_force(kind="quarantine", on=contact_on)
    p = rule_set.params
    reasons: list[str] = []
    group = OTHERS
    protected = p["protected"]
    if protected is not None:
        months = protected["recovered_within_months"]
        if recovered_within(recovered_on=recovered_on, contact_on=contact_on, months=months):
            group = PROTECTED
            reasons.append(
                _("Đã mắc COVID-19 và khỏi bệnh trong %(months)d tháng (ngày %(day)s).")
                % {"months": months, "day": f"{recovered_on:%d/%m/%Y}"}
            )
        elif fully_vaccinated:
            group = PROTECTED
            reasons.append(_("Tiêm đủ liều vắc xin theo quy định tại ngày tiếp xúc."))
        elif fully_vaccinated is None:
            reasons.append(_("Chưa rõ tình trạng tiêm chủng: áp dụng thời gian cách ly dài hơn."))
        else:
            reasons.append(_("Chưa tiêm đủ liều vắc xin theo quy định tại ngày tiếp xúc."))
    row = protected if group == PROTECTED else p["others"]
    quarantine_until = day_n(contact_on, row["quarantine_days"]) if row["quarantine_days"] else None
    test_days = tuple(day_n(contact_on, n) for n in row["test_days"])
    if quarantine_until is None:
        monitor_until = day_n(contact_on, row["monitor_days"])
        reasons.append(
            _("Không cách ly; thực hiện biện pháp phòng bệnh, tự theo dõi sức khỏe %(days)d ngày (đến %(until)s).")
            % {"days": row["monitor_days"], "until": f"{monitor_until:%d/%m/%Y}"}
        )
    else:
        monitor_until = quarantine_until + timedelta(days=row["monitor_days"])
        reasons.append(
            _("Cách ly %(days)d ngày kể từ ngày tiếp xúc (đến hết %(until)s).")
            % {"days": row["quarantine_days"], "until": f"{quarantine_until:%d/%m/%Y}"}
        )
        if test_days:
            reasons.append(
                _("Xét nghiệm ngày %(numbers)s: %(dates)s.")
                % {
                    "numbers": ", ".join(str(n) for n in row["test_days"]),
                    "dates": ", ".join(f"{day:%d/%m/%Y}" for day in test_days),
                }
            )
        reasons.append(
            _("Sau đó tự theo dõi sức khỏe %(days)d ngày (đến %(until)s).")
            % {"days": row["monitor_days"], "until": f"{monitor_until:%d/%m/%Y}"}
        )
    if p["test_when_symptomatic"]:
        reasons.append(_("Xét nghiệm khi có triệu chứng nghi nhiễm."))
    return QuarantinePlan(
        quarantine_until=quarantine_until,
        test_days=test_days,
        monitor_until=monitor_until,
        test_when_symptomatic=p["test_when_symptomatic"],
        group=group,
        rule_set=rule_set.code,
        rule_label=rule_set.label,
        reasons=tuple(reasons),
    )


# --- the F1 definition and the symptom rule ---------------------------------------------------------


def contact_definition_in_force(*, on: date) -> RuleSet:
    """The F1 definition in force on a contact date; `params["kinds"]` is [(code, wording)] in the model's codes."""
    return rule_set_in_force(kind="contact_definition", on=on)


def f1_symptoms_in_force(*, on: date) -> list[tuple[str, str]]:
    """(code, Vietnamese label) of the symptoms an F1's daily check asks about on `on`."""
    return [(code, label) for code, label in rule_set_in_force(kind="f1_symptoms", on=on).params["symptoms"]]


@dataclass(frozen=True)
class SymptomVerdict:
    suspected: bool  # meets the suspected-case symptom rule: the F1 needs a test
    text: str  # Vietnamese: which symptoms, and why they do or do not meet the rule
    rule_set: str


def symptoms_assess(*, symptoms: frozenset[str], temperature: float | None, on: date) -> SymptomVerdict:
    """Whether a daily check meets the suspected-case rule in force on `on`: all of `all_of` (fever + cough)
    or at least `min_count` listed symptoms. A measured temperature above the rule's fever threshold is fever."""
    rule_set = rule_set_in_force(kind="f1_symptoms", on=on)
    p = rule_set.params
    labels: dict[str, str] = dict(p["symptoms"])
    unknown = sorted(symptoms - labels.keys())
    if unknown:
        raise ValueError(f"Unknown symptom codes: {unknown}")
    present = set(symptoms)
    fever = Threshold.parse(p.get("fever"))
    measured = ""
    if fever is not None and temperature is not None and fever.holds(temperature):
        present.add("fever")
        measured = _("nhiệt độ %(value)s °C") % {"value": number(float(temperature))}
    suspected = set(p["all_of"]) <= present or len(present) >= p["min_count"]
    names = [labels[code] for code, _label in p["symptoms"] if code in present]
    if measured and "fever" not in symptoms:
        names[names.index(labels["fever"])] = f"{labels['fever']} ({measured})"
    if not present:
        text = _("Không có triệu chứng.")
    elif suspected:
        text = _("Nghi nhiễm, cần xét nghiệm: %(names)s.") % {"names": ", ".join(names)}
    else:
        text = _("Có triệu chứng, chưa đủ tiêu chí nghi nhiễm: %(names)s.") % {"names": ", ".join(names)}
    return SymptomVerdict(suspected=suspected, text=text, rule_set=rule_set.code)
