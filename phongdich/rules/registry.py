"""National rules as versioned data: every file in `rules/data/` is one rule set, keyed to its document.

A rule set says what kind of decision it governs ("eligibility", "triage", "release", "medicine"),
which document it comes from (number and date), from when it applies, and whose it is: the ministry's
("moh") or a city's own ("hanoi"). `rule_set_in_force()` answers "which rule set applies on this date?":
the latest one already in force, among the ministry's and those of the deployment's family
(`settings.PHONGDICH_RULE_FAMILY`). Every decision records the `code` of the rule set it used.
"""

import json
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

DATA_DIR = Path(__file__).parent / "data"
MOH = "moh"


class NoRuleInForce(LookupError):
    pass


@dataclass(frozen=True)
class RuleSet:
    kind: str
    code: str  # stable identifier recorded with every decision, e.g. "QD-261-BYT"
    document: str  # as cited, e.g. "QĐ 261/QĐ-BYT"
    issued_on: date
    effective_from: date
    family: str
    title: str
    params: dict[str, Any]
    sources: list[str] = field(default_factory=list)
    notes: str = ""

    @property
    def label(self) -> str:
        """ "QĐ 261/QĐ-BYT (31/01/2022)" — how the UI names the rule set behind a decision."""
        return f"{self.document} ({self.issued_on:%d/%m/%Y})"


def _load(path: Path) -> RuleSet:
    raw = json.loads(path.read_text(encoding="utf-8"))
    return RuleSet(
        kind=raw["kind"],
        code=raw["code"],
        document=raw["document"],
        issued_on=date.fromisoformat(raw["issued_on"]),
        effective_from=date.fromisoformat(raw["effective_from"]),
        family=raw.get("family", MOH),
        title=raw["title"],
        params=raw["params"],
        sources=raw.get("sources", []),
        notes=raw.get("notes", ""),
    )


@cache
def rule_sets() -> tuple[RuleSet, ...]:
    """Every rule set shipped with the code, oldest first (read once per process)."""
    loaded = sorted((_load(path) for path in DATA_DIR.glob("*.json")), key=lambda r: (r.kind, r.effective_from))
    codes = [r.code for r in loaded]
    duplicated = {c for c in codes if codes.count(c) > 1}
    if duplicated:
        raise ValueError(f"Rule set codes must be unique: {sorted(duplicated)}")
    return tuple(loaded)


@cache
def _by_code() -> dict[str, RuleSet]:
    return {r.code: r for r in rule_sets()}


def rule_set_by_code(code: str) -> RuleSet:
    try:
        return _by_code()[code]
    except KeyError:
        raise NoRuleInForce(code) from None


def rule_set_in_force(*, kind: str, on: date, family: str | None = None) -> RuleSet:
    """The rule set of `kind` that applies on `on`: the latest in force, the ministry's or the family's own."""
    return _in_force(kind, on, family or settings.PHONGDICH_RULE_FAMILY)


def rule_set_in_force_or_none(*, kind: str, on: date, family: str | None = None) -> RuleSet | None:
    """As `rule_set_in_force`, for kinds that did not exist yet on every date (e.g. children's severity)."""
    try:
        return rule_set_in_force(kind=kind, on=on, family=family)
    except NoRuleInForce:
        return None


# Triage runs on every declaration: the answer per (kind, date, family) is computed once per process.
@lru_cache(maxsize=8192)
def _in_force(kind: str, on: date, family: str) -> RuleSet:
    families = {MOH, family}
    candidates = [r for r in rule_sets() if r.kind == kind and r.family in families and r.effective_from <= on]
    if not candidates:
        raise NoRuleInForce(f"{kind} on {on}")
    return max(candidates, key=lambda r: (r.effective_from, r.family != MOH))
