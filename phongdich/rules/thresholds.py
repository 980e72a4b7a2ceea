"""Thresholds as rule data: `{"op": ">=", "value": 20}`, age bands of them, and how they read in Vietnamese."""

import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_SYMBOL = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}
_NEGATION = {"<": ">=", "<=": ">", ">": "<=", ">=": "<"}


def number(value: float) -> str:
    """38.5 → "38,5", 38.0 → "38", 96 → "96" (Vietnamese decimal comma)."""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.1f}".replace(".", ",")
    return str(value)


@dataclass(frozen=True, slots=True)
class Threshold:
    op: str
    value: float

    @classmethod
    def parse(cls, raw: dict[str, Any] | None) -> "Threshold | None":
        if raw is None:
            return None
        if raw["op"] not in _COMPARE:
            raise ValueError(f"Unknown comparison {raw['op']!r}")
        return cls(op=raw["op"], value=raw["value"])

    def holds(self, measured: float) -> bool:
        return _COMPARE[self.op](measured, self.value)

    @property
    def symbol(self) -> str:
        return _SYMBOL[self.op]

    @property
    def negated_symbol(self) -> str:
        """The symbol of the failed comparison: "> 96" fails as "≤ 96"."""
        return _SYMBOL[_NEGATION[self.op]]

    def describe(self, measured: float, unit: str = "", limit_unit: str | None = None) -> str:
        """ "95% ≤ 96%" when the threshold holds for `measured`, "97% > 96%" when it does not."""
        symbol = self.symbol if self.holds(measured) else self.negated_symbol
        limit_unit = unit if limit_unit is None else limit_unit
        return f"{number(measured)}{unit} {symbol} {number(self.value)}{limit_unit}"


@dataclass(frozen=True, slots=True)
class Band:
    """A threshold for an age range in months, [min_months, max_months); `group` names it in Vietnamese."""

    min_months: int
    max_months: int | None
    threshold: Threshold
    group: str

    @classmethod
    def parse_all(cls, raw: Iterable[dict[str, Any]] | None) -> tuple["Band", ...]:
        return tuple(
            cls(
                min_months=item["min_months"],
                max_months=item["max_months"],
                threshold=Threshold(op=item["op"], value=item["value"]),
                group=item["group"],
            )
            for item in raw or ()
        )


def age_in_months(*, age: int | None, age_months: int | None, unknown: int) -> tuple[int, int]:
    """The range of ages in months the person may have: exact when months are known, a year's span otherwise."""
    if age_months is not None:
        return age_months, age_months
    if age is None:
        return unknown, unknown
    return 12 * age, 12 * age + 11


def band_for(bands: tuple[Band, ...], months: tuple[int, int]) -> Band | None:
    """The band that applies to an age range; when several may apply (age known only in years), the one with
    the lowest limit, which is the more cautious for both warning ("≥ 50") and inclusion ("< 50") limits."""
    low, high = months
    best: Band | None = None
    for band in bands:
        applies = band.min_months <= high and (band.max_months is None or band.max_months > low)
        if applies and (best is None or band.threshold.value < best.threshold.value):
            best = band
    return best
