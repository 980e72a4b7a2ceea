"""End of home isolation: the release date by the rule in force on the positive date, and "fully vaccinated"."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from phongdich.rules.registry import rule_set_in_force


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def fully_vaccinated(*, doses: int | None, last_dose_on: date | None, on: date) -> bool | None:
    """Whether the person counts as fully vaccinated on `on` by the definition in force (kind "vaccination_status":
    10696 last dose 14 days – 6 months; 762 ≥ 2 doses, last ≥ 14 days). None when the data does not tell."""
    p = rule_set_in_force(kind="vaccination_status", on=on).params
    if doses is None:
        return None
    if doses < p["min_doses"]:
        return False
    if last_dose_on is None:
        return None
    if (on - last_dose_on).days < p["min_days_since_last"]:
        return False
    max_months = p["max_months_since_last"]
    return not (max_months is not None and _add_months(last_dose_on, max_months) < on)


@dataclass(frozen=True)
class ReleasePlan:
    due_on: date  # earliest release date if the test is negative
    needs_negative_test: bool
    extended_due_on: date | None  # if still positive on due_on (762: 10 days if fully vaccinated, 14 otherwise)
    rule_set: str
    rule_label: str


def release_plan(*, confirmed_on: date, fully_vaccinated: bool | None) -> ReleasePlan:
    """Release dates by the rule set in force on `confirmed_on`, counted in days from the positive date.

    An unknown vaccination status takes the longer extension (data key "unknown")."""
    rule_set = rule_set_in_force(kind="release", on=confirmed_on)
    p = rule_set.params
    extended_due_on = None
    if p["extended_days"]:
        key = {True: "fully_vaccinated", False: "not_fully_vaccinated", None: "unknown"}[fully_vaccinated]
        extended_due_on = confirmed_on + timedelta(days=p["extended_days"][key])
    return ReleasePlan(
        due_on=confirmed_on + timedelta(days=p["days"]),
        needs_negative_test=p["needs_negative_test"],
        extended_due_on=extended_due_on,
        rule_set=rule_set.code,
        rule_label=rule_set.label,
    )
