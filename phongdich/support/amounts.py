"""How much a period of service is worth at a rate, shortened names for the public list, and Tết dates.

The rule (also in docs/rules.md, "Allowances"):
- per day: the rate × days served; days served default to the calendar days of the period (both ends
  counted) and may be entered lower (days off), never higher;
- per month: for every calendar month the period touches, the rate × (days of the period in that month ÷
  days in that month) — a whole month is one rate, 10 days of a 31-day month are 10/31 of it; days served
  are the period's calendar days (a monthly allowance is not cut by days off);
- once: the rate, whatever the period.
Totals are rounded to the nearest đồng (half up) once, at the end. A period must lie inside the rate's
validity: one that runs across a rate change is refused and is entered as two entitlements.
"""

import json
from calendar import monthrange
from datetime import date, timedelta
from fractions import Fraction
from functools import cache
from pathlib import Path

from phongdich.support.models import Unit

DATA_DIR = Path(__file__).resolve().parent / "data"


def period_days(start_on: date, end_on: date) -> int:
    return (end_on - start_on).days + 1


def month_fraction(start_on: date, end_on: date) -> Fraction:
    """How many months the period covers, month by month: 01/12–31/12 is 1, 17/01–31/01 is 15/31."""
    total = Fraction(0)
    day = start_on
    while day <= end_on:
        length = monthrange(day.year, day.month)[1]
        month_end = date(day.year, day.month, length)
        last = min(end_on, month_end)
        total += Fraction((last - day).days + 1, length)
        day = month_end + timedelta(days=1)
    return total


def round_half_up(value: Fraction) -> int:
    return int(value + Fraction(1, 2)) if value >= 0 else -int(-value + Fraction(1, 2))


def entitlement_amount(*, unit: str, rate_amount: int, start_on: date, end_on: date, days_served: int) -> int:
    if unit == Unit.PER_DAY:
        return rate_amount * days_served
    if unit == Unit.PER_MONTH:
        return round_half_up(rate_amount * month_fraction(start_on, end_on))
    if unit == Unit.ONCE:
        return rate_amount
    raise ValueError(unit)


def short_name(full_name: str) -> str:
    """ "Nguyễn Văn An" → "Nguyễn V. A.": the family name and initials, as the public list shows it."""
    parts = full_name.split()
    if len(parts) <= 1:
        return full_name.strip()
    return " ".join([parts[0], *(f"{part[0].upper()}." for part in parts[1:])])


@cache
def tet_days() -> tuple[tuple[date, str], ...]:
    """Lunar New Year's days (mùng 1 Tết) with their names, from data/tet.json, oldest first."""
    with (DATA_DIR / "tet.json").open(encoding="utf-8") as f:
        rows = json.load(f)["days"]
    return tuple(sorted((date.fromisoformat(row["date"]), row["name"]) for row in rows))


def default_deadline(today: date) -> date:
    """The day before the next Tết (on or after `today`); after the table ends, 31/12 of this year."""
    for day, _name in tet_days():
        if day > today:
            return day - timedelta(days=1)
    return date(today.year, 12, 31)
