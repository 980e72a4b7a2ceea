"""Vaccination schedules as versioned rules: the next dose of a person, and the checks on one recorded dose.

Products, intervals, mixing, additional/booster doses and children's rules are data (kind "vaccination_schedule",
one file per document: 10225, 10722, 3309, …). The rule set is the one in force on the date asked (`on`) or on the
date of the dose. Pure functions without database access: each rule set is compiled once per process, so the
summary of millions of persons can be recomputed in bulk.
"""

import calendar
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from phongdich.rules.registry import rule_set_by_code, rule_set_in_force_or_none, rule_sets
from phongdich.vaccination.models import DoseKind, VaccinationStatus

KIND = "vaccination_schedule"
PRIMARY_KINDS = (DoseKind.PRIMARY_1.value, DoseKind.PRIMARY_2.value, DoseKind.PRIMARY_3.value)


@dataclass(frozen=True)
class DoseFact:
    given_on: date
    product: str  # product code, e.g. "astrazeneca", "pfizer_5_11"
    kind: str  # DoseKind value


@dataclass(frozen=True)
class NextDose:
    status: str  # VaccinationStatus value
    primary_complete_on: date | None
    kind: str | None  # the next dose's kind, or None when none is due (then `note` says why)
    due_on: date | None  # earliest date
    products: tuple[str, ...]  # product codes allowed for that dose
    note: str  # Vietnamese: why this dose, or why none
    rule_sets: tuple[str, ...]


# --- compiled rule sets -------------------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


@dataclass(frozen=True, slots=True)
class _Span:
    """A rule's interval, in days ("28 ngày") or calendar months ("3 tháng") as the documents state it."""

    days: int = 0
    months: int = 0

    @classmethod
    def parse(cls, raw: dict[str, int] | None) -> "_Span | None":
        if raw is None:
            return None
        return cls(days=raw.get("days", 0), months=raw.get("months", 0))

    def after(self, day: date) -> date:
        return _add_months(day, self.months) + timedelta(days=self.days)

    @property
    def text(self) -> str:
        return _("%(n)s tháng") % {"n": self.months} if self.months else _("%(n)s ngày") % {"n": self.days}


@dataclass(frozen=True, slots=True)
class _Product:
    code: str
    label: str
    primary_doses: int
    intervals: tuple[tuple[_Span, _Span | None], ...]  # (min, max) before primary dose 2, 3, …


@dataclass(frozen=True, slots=True)
class _Next:
    """A dose after the primary course: additional, booster 1 or booster 2."""

    min: _Span
    max: _Span | None
    follow: dict[str, tuple[str, ...]]  # first primary product → products allowed for this dose
    immunocompromised: bool  # people with immunodeficiency qualify
    primary_products: frozenset[str]  # people whose primary course was one of these qualify (additional dose)
    min_age: int | None  # or people of at least this age (booster 2)


@dataclass(frozen=True, slots=True)
class _Group:
    code: str
    label: str
    min_age: int
    max_age: int | None  # exclusive
    primary: tuple[str, ...]
    product_min_age: dict[str, int]
    same_product: bool
    primary_follow: dict[str, tuple[str, ...]]
    additional: _Next | None
    booster: _Next | None
    booster_2: _Next | None
    infection_delay: _Span | None

    def allows(self, product: str, age: int | None) -> bool:
        return age is None or age >= self.product_min_age.get(product, self.min_age)

    def filtered(self, products: Iterable[str], age: int | None) -> tuple[str, ...]:
        return tuple(p for p in products if self.allows(p, age))


@dataclass(frozen=True, slots=True)
class _Schedule:
    code: str
    document: str
    products: dict[str, _Product]
    unknown_primary_doses: int
    groups: tuple[_Group, ...]

    def group_for(self, age: int | None) -> _Group | None:
        """The age group of `age` in whole years; unknown age is judged by the adult schedule."""
        for group in self.groups:
            if age is None and group.max_age is None:
                return group
            if age is not None and group.min_age <= age and (group.max_age is None or age < group.max_age):
                return group
        return None

    def primary_doses(self, product: str | None) -> int:
        known = self.products.get(product or "")
        return known.primary_doses if known else self.unknown_primary_doses


def _next(raw: dict[str, Any] | None) -> _Next | None:
    if raw is None:
        return None
    return _Next(
        min=_Span.parse(raw["min"]) or _Span(),
        max=_Span.parse(raw.get("max")),
        follow={k: tuple(v) for k, v in raw["follow"].items()},
        immunocompromised=bool(raw.get("immunocompromised")),
        primary_products=frozenset(raw.get("primary_products", ())),
        min_age=raw.get("min_age"),
    )


@lru_cache(maxsize=64)
def _schedule(code: str) -> _Schedule:
    rule_set = rule_set_by_code(code)
    p = rule_set.params
    products = {
        c: _Product(
            code=c,
            label=raw["label"],
            primary_doses=raw["primary_doses"],
            intervals=tuple((_Span.parse(i["min"]) or _Span(), _Span.parse(i.get("max"))) for i in raw["intervals"]),
        )
        for c, raw in p["products"].items()
    }
    groups = tuple(
        _Group(
            code=g["code"],
            label=g["label"],
            min_age=g["min_age"],
            max_age=g["max_age"],
            primary=tuple(g["primary"]),
            product_min_age=dict(g["product_min_age"]),
            same_product=g["same_product"],
            primary_follow={k: tuple(v) for k, v in g["primary_follow"].items()},
            additional=_next(g["additional"]),
            booster=_next(g["booster"]),
            booster_2=_next(g["booster_2"]),
            infection_delay=_Span.parse(g["infection_delay"]),
        )
        for g in p["age_groups"]
    )
    for group in groups:
        for code_ in (*group.primary, *(c for cs in group.primary_follow.values() for c in cs)):
            if code_ not in products:
                raise ValueError(f"{code}: unknown product {code_!r} in group {group.code}")
    return _Schedule(
        code=code,
        document=rule_set.document,
        products=products,
        unknown_primary_doses=p["unknown_product_primary_doses"],
        groups=groups,
    )


def _schedule_on(on: date) -> _Schedule | None:
    rule_set = rule_set_in_force_or_none(kind=KIND, on=on)
    return _schedule(rule_set.code) if rule_set else None


# --- products -----------------------------------------------------------------------------------


def _normal(text: str) -> str:
    """ "Vero Cell" → "verocell", "Pfizer (5-11 tuổi)" → "pfizer511tuoi": no case, marks, spaces or punctuation."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in decomposed if not unicodedata.combining(c)).lower())


@cache
def _aliases() -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """Every name of every product in any vaccination rule set: exact names, and the longer ones to look for inside
    a free text, longest first."""
    exact: dict[str, str] = {}
    for rule_set in rule_sets():
        if rule_set.kind != KIND:
            continue
        for code, raw in rule_set.params["products"].items():
            for name in (code, *raw["aliases"]):
                exact[_normal(name)] = code
    inside = tuple(sorted(((n, c) for n, c in exact.items() if len(n) >= 5), key=lambda item: -len(item[0])))
    return exact, inside


def product_code(text: str) -> str | None:
    """The product code of a name as written in files ("Astra", "Vero Cell", "Comirnaty", "Pfizer (5-11)", "J&J"…);
    None when no known name is recognised."""
    normal = _normal(text or "")
    if not normal:
        return None
    exact, inside = _aliases()
    if normal in exact:
        return exact[normal]
    for name, code in inside:
        if name in normal:
            return code
    return None


def products_in_force(*, on: date) -> list[tuple[str, str]]:
    """(code, Vietnamese label) of every product of the schedule in force on `on`, in the order of the rule set."""
    schedule = _schedule_on(on)
    if schedule is None:
        return []
    return [(p.code, p.label) for p in schedule.products.values()]


# --- a person's history -------------------------------------------------------------------------


def _age(birth_date: date | None, birth_year: int | None, on: date) -> int | None:
    """Whole years on `on`; with a birth year only, the age by year (as campaigns list people by birth year)."""
    if birth_date is not None:
        return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    if birth_year is not None:
        return on.year - birth_year
    return None


@dataclass(frozen=True, slots=True)
class _History:
    primary: tuple[DoseFact, ...]
    additional: tuple[DoseFact, ...]
    booster_1: tuple[DoseFact, ...]
    booster_2: tuple[DoseFact, ...]
    last: DoseFact | None

    @classmethod
    def of(cls, doses: Iterable[DoseFact]) -> "_History":
        ordered = sorted(doses, key=lambda d: d.given_on)
        return cls(
            primary=tuple(d for d in ordered if d.kind in PRIMARY_KINDS),
            additional=tuple(d for d in ordered if d.kind == DoseKind.ADDITIONAL),
            booster_1=tuple(d for d in ordered if d.kind == DoseKind.BOOSTER_1),
            booster_2=tuple(d for d in ordered if d.kind == DoseKind.BOOSTER_2),
            last=ordered[-1] if ordered else None,
        )

    @property
    def first_product(self) -> str | None:
        """The product that sets the course (its dose count, intervals and what may follow): the first primary dose's."""
        if self.primary:
            return self.primary[0].product
        return self.last.product if self.last else None

    @property
    def after_primary(self) -> bool:
        return bool(self.additional or self.booster_1 or self.booster_2)

    def complete(self, needed: int) -> bool:
        return len(self.primary) >= needed or self.after_primary

    def primary_complete_on(self, needed: int) -> date | None:
        if len(self.primary) >= needed:
            return self.primary[needed - 1].given_on
        if self.after_primary and self.primary:
            return self.primary[-1].given_on
        return None

    @property
    def course_end(self) -> date | None:
        """The last dose of the primary course, the additional dose included (10722: it completes the course)."""
        days = [d.given_on for d in (*self.primary, *self.additional)]
        return max(days) if days else None


def _status(history: _History, needed: int) -> str:
    if history.last is None:
        return VaccinationStatus.UNVACCINATED.value
    if history.after_primary:
        return VaccinationStatus.BOOSTED.value
    if history.complete(needed):
        return VaccinationStatus.PRIMARY_COMPLETE.value
    return VaccinationStatus.PARTIAL.value


@cache
def _kind_labels(language: str | None) -> dict[str, str]:
    return {kind: str(label) for kind, label in DoseKind.choices}


def _kind_label(kind: str) -> str:
    # Translated once per language: dose_check runs for every row of a 100,000-row import.
    return _kind_labels(get_language()).get(kind, kind)


def _booster_2_qualifies(rule: _Next, age: int | None, immunocompromised: bool) -> bool:
    return (rule.immunocompromised and immunocompromised) or (
        rule.min_age is not None and age is not None and age >= rule.min_age
    )


def _infer(history: _History, schedule: _Schedule | None, product: str) -> str:
    first = history.first_product or product
    needed = schedule.primary_doses(first) if schedule else 2
    if not history.complete(needed):
        return PRIMARY_KINDS[min(len(history.primary), len(PRIMARY_KINDS) - 1)]
    if history.booster_1 or history.booster_2:
        return DoseKind.BOOSTER_2.value
    if history.additional:
        return DoseKind.BOOSTER_1.value
    adult = schedule.group_for(None) if schedule else None
    if adult and adult.additional and first in adult.additional.primary_products:
        return DoseKind.ADDITIONAL.value
    return DoseKind.BOOSTER_1.value


def dose_kind_infer(*, previous: Sequence[DoseFact], product: str, on: date) -> str:
    """The kind of a dose given on `on` when a file says only "mũi 3": the next primary dose while the course (2 doses,
    3 for Abdala, 1 for single-dose vaccines) is incomplete; then the additional dose where the rule in force gives
    one for that primary vaccine (10722: Sinopharm, Sputnik V), otherwise booster 1, then booster 2."""
    return _infer(_History.of(d for d in previous if d.given_on < on), _schedule_on(on), product)


# --- the next dose ------------------------------------------------------------------------------


def vaccination_next(
    *,
    birth_date: date | None,
    birth_year: int | None,
    doses: Sequence[DoseFact],
    on: date,
    infected_on: date | None = None,
    immunocompromised: bool = False,
) -> NextDose:
    """Status on `on`, and the next dose by the schedule in force on `on`: its kind, earliest date, the products
    allowed — or why none. A COVID-19 infection after the last dose postpones it where the rule says so (3309)."""
    history = _History.of(d for d in doses if d.given_on <= on)
    schedule = _schedule_on(on)
    needed = schedule.primary_doses(history.first_product) if schedule else 2
    status = _status(history, needed)
    complete_on = history.primary_complete_on(needed)

    def none(note: str, codes: tuple[str, ...] = ()) -> NextDose:
        return NextDose(status, complete_on, None, None, (), note, codes)

    if schedule is None:
        return none(_("Chưa triển khai tiêm vắc xin phòng COVID-19"))
    codes = (schedule.code,)
    age = _age(birth_date, birth_year, on)
    group = schedule.group_for(age)
    if group is None:
        return none(_("Chưa đủ tuổi tiêm"), codes)
    first = history.first_product
    kind: str
    due: date
    products: tuple[str, ...]
    notes = [] if age is not None else [_("Chưa rõ tuổi: theo lịch người từ 18 tuổi")]

    if not history.complete(needed):
        count = len(history.primary)
        kind = PRIMARY_KINDS[min(count, len(PRIMARY_KINDS) - 1)]
        if count == 0:
            due, products = on, group.filtered(group.primary, age)
            notes.append(_("Chưa tiêm: tiêm mũi 1 (%(group)s)") % {"group": group.label})
        else:
            course = schedule.products.get(first or "")
            products = group.filtered(group.primary_follow.get(first or "", ()), age)
            if course is None or not course.intervals:
                return none(
                    _("Vắc xin mũi 1 «%(product)s» không có trong danh mục: cần kiểm tra") % {"product": first}, codes
                )
            low, high = course.intervals[min(count, len(course.intervals)) - 1]
            last = history.primary[-1].given_on
            due = low.after(last)
            text = _("Mũi %(n)s: ít nhất %(span)s sau mũi %(m)s") % {"n": count + 1, "span": low.text, "m": count}
            if high is not None:
                text += _(", nên trước %(day)s") % {"day": _day(high.after(last))}
            if group.same_product:
                text += _(" (cùng loại, không tiêm trộn)")
            notes.append(text)
    else:
        qualifies_additional = group.additional is not None and (
            (group.additional.immunocompromised and immunocompromised)
            or (first or "") in group.additional.primary_products
        )
        if group.additional and qualifies_additional and not history.after_primary and history.course_end:
            rule = group.additional
            kind, due = DoseKind.ADDITIONAL.value, rule.min.after(history.course_end)
            span = rule.min.text + (" – " + rule.max.text if rule.max else "")
            notes.append(
                _("Mũi bổ sung: %(span)s sau mũi cơ bản cuối (%(doc)s)") % {"span": span, "doc": schedule.document}
            )
            if rule.max and on > rule.max.after(history.course_end):
                notes.append(_("đã quá %(span)s, vẫn tiêm") % {"span": rule.max.text})
        elif group.booster and not (history.booster_1 or history.booster_2) and history.course_end:
            rule = group.booster
            kind, due = DoseKind.BOOSTER_1.value, rule.min.after(history.course_end)
            notes.append(
                _("Mũi nhắc lại lần 1: ít nhất %(span)s sau liều cơ bản (%(doc)s)")
                % {"span": rule.min.text, "doc": schedule.document}
            )
        elif (
            group.booster_2
            and history.booster_1
            and not history.booster_2
            and _booster_2_qualifies(group.booster_2, age, immunocompromised)
        ):
            rule = group.booster_2
            kind, due = DoseKind.BOOSTER_2.value, rule.min.after(history.booster_1[-1].given_on)
            notes.append(
                _("Mũi nhắc lại lần 2: ít nhất %(span)s sau mũi nhắc lại lần 1 (%(doc)s)")
                % {"span": rule.min.text, "doc": schedule.document}
            )
        else:
            note = _("Đã tiêm đủ theo %(doc)s") % {"doc": schedule.document}
            if group.booster_2 and history.booster_1 and not history.booster_2 and group.booster_2.min_age:
                note += _("; mũi nhắc lại lần 2 cho người từ %(age)s tuổi hoặc suy giảm miễn dịch") % {
                    "age": group.booster_2.min_age
                }
            return none(note, codes)
        products = group.filtered(rule.follow.get(first or "", ()), age)

    delay = group.infection_delay
    if delay and infected_on and infected_on <= on and (history.last is None or infected_on >= history.last.given_on):
        after_infection = delay.after(infected_on)
        if after_infection > due:
            due = after_infection
            notes.append(_("Sau khi mắc COVID-19: tiêm sau %(span)s") % {"span": delay.text})
    return NextDose(status, complete_on, kind, due, products, "; ".join(notes), codes)


# --- checks on one dose -------------------------------------------------------------------------


def _allowed(history: _History, group: _Group, kind: str, age: int | None) -> tuple[str, ...] | None:
    """Products allowed for a dose of `kind` after `history`; None when the group has no such dose."""
    first = history.first_product or ""
    if kind == DoseKind.PRIMARY_1 or (kind in PRIMARY_KINDS and not history.primary):
        return group.filtered(group.primary, age)
    if kind in PRIMARY_KINDS:
        return group.filtered(group.primary_follow.get(first, ()), age)
    rule = {
        DoseKind.ADDITIONAL.value: group.additional,
        DoseKind.BOOSTER_1.value: group.booster,
        DoseKind.BOOSTER_2.value: group.booster_2,
    }.get(kind)
    return None if rule is None else group.filtered(rule.follow.get(first, ()), age)


def _minimum(history: _History, schedule: _Schedule, group: _Group, kind: str) -> tuple[date, _Span, str] | None:
    """(the date the interval runs from, the minimum interval, which dose) for a dose of `kind` after `history`."""
    if kind in PRIMARY_KINDS:
        course = schedule.products.get(history.first_product or "")
        if not history.primary or course is None or not course.intervals:
            return None
        count = len(history.primary)
        low, _high = course.intervals[min(count, len(course.intervals)) - 1]
        return history.primary[-1].given_on, low, _("mũi %(n)s") % {"n": count}
    if kind == DoseKind.ADDITIONAL and group.additional and history.primary:
        return history.primary[-1].given_on, group.additional.min, _("mũi cơ bản cuối")
    if kind == DoseKind.BOOSTER_1 and group.booster and history.course_end:
        return history.course_end, group.booster.min, _("liều cơ bản")
    if kind == DoseKind.BOOSTER_2 and group.booster_2 and history.booster_1:
        return history.booster_1[-1].given_on, group.booster_2.min, _("mũi nhắc lại lần 1")
    return None


def dose_check(
    *, birth_date: date | None, birth_year: int | None, previous: Sequence[DoseFact], dose: DoseFact
) -> list[tuple[str, str, bool]]:
    """Problems of one dose against the person and their other doses, by the schedule in force on its date:
    (field, Vietnamese message, blocking). Blocking only for impossible facts (before birth, in the future);
    the rest are flags for review and the dose is kept."""
    day = _day(dose.given_on)
    blocking: list[tuple[str, str, bool]] = []
    if dose.given_on > timezone.localdate():
        blocking.append(("given_on", _("Ngày tiêm %(day)s là ngày trong tương lai") % {"day": day}, True))
    if birth_date is not None and dose.given_on < birth_date:
        blocking.append(
            (
                "given_on",
                _("Ngày tiêm %(day)s trước ngày sinh %(birth)s") % {"day": day, "birth": _day(birth_date)},
                True,
            )
        )
    elif birth_date is None and birth_year is not None and dose.given_on.year < birth_year:
        blocking.append(
            ("given_on", _("Ngày tiêm %(day)s trước năm sinh %(year)s") % {"day": day, "year": birth_year}, True)
        )
    if blocking:
        return blocking

    flags: list[tuple[str, str, bool]] = []
    if any(p.given_on == dose.given_on for p in previous):
        flags.append(("given_on", _("Đã có mũi tiêm ngày %(day)s (trùng dòng?)") % {"day": day}, False))
    schedule = _schedule_on(dose.given_on)
    if schedule is None:
        flags.append(
            ("given_on", _("Ngày tiêm %(day)s trước khi bắt đầu tiêm vắc xin phòng COVID-19") % {"day": day}, False)
        )
        return flags
    doc = schedule.document
    product = schedule.products.get(dose.product)
    if product is None:
        flags.append(
            (
                "product",
                _("Vắc xin «%(p)s» không có trong danh mục ngày %(day)s (%(doc)s)")
                % {"p": dose.product, "day": day, "doc": doc},
                False,
            )
        )
    history = _History.of(p for p in previous if p.given_on < dose.given_on)
    age = _age(birth_date, birth_year, dose.given_on)
    group = schedule.group_for(age)
    kind_label = _kind_label(dose.kind)

    expected = {_infer(history, schedule, dose.product)}
    adult = group or schedule.group_for(None)
    # Immunodeficiency is not known here: where it would make this dose the additional one, accept that too.
    may_be_additional = adult is not None and adult.additional is not None and adult.additional.immunocompromised
    if may_be_additional and not history.after_primary and expected == {DoseKind.BOOSTER_1.value}:
        expected.add(DoseKind.ADDITIONAL.value)
    if dose.kind not in expected:
        flags.append(
            (
                "kind",
                _("Loại mũi «%(kind)s» không khớp lịch sử tiêm: dự kiến «%(expected)s»")
                % {"kind": kind_label, "expected": " / ".join(_kind_label(k) for k in sorted(expected))},
                False,
            )
        )

    if group is None:
        flags.append(
            (
                "product",
                _("Chưa đủ tuổi tiêm ngày %(day)s (%(age)s tuổi, %(doc)s)") % {"day": day, "age": age, "doc": doc},
                False,
            )
        )
        return flags
    allowed = _allowed(history, group, dose.kind, age)
    if allowed is None:
        flags.append(
            (
                "kind",
                _("Ngày %(day)s, %(doc)s chưa quy định «%(kind)s» cho nhóm %(group)s")
                % {"day": day, "doc": doc, "kind": kind_label, "group": group.label},
                False,
            )
        )
    elif product is not None and dose.product not in allowed:
        first = schedule.products.get(history.first_product or "")
        if group.same_product and dose.kind in PRIMARY_KINDS and history.primary and first is not None:
            message = _("Trẻ %(group)s: %(kind)s phải cùng loại vắc xin với mũi 1 (%(first)s), không tiêm trộn") % {
                "group": group.label,
                "kind": kind_label,
                "first": first.label,
            }
        else:
            message = _(
                "Vắc xin %(p)s không dùng cho «%(kind)s» của người %(age)s ngày %(day)s (%(doc)s); được dùng: %(allowed)s"
            ) % {
                "p": product.label,
                "kind": kind_label,
                "age": _("%(n)s tuổi") % {"n": age} if age is not None else _("chưa rõ tuổi"),
                "day": day,
                "doc": doc,
                "allowed": ", ".join(schedule.products[c].label for c in allowed) or _("không có"),
            }
        flags.append(("product", message, False))

    minimum = _minimum(history, schedule, group, dose.kind)
    if minimum is not None:
        since, span, what = minimum
        earliest = span.after(since)
        if dose.given_on < earliest:
            flags.append(
                (
                    "given_on",
                    _(
                        "%(kind)s ngày %(day)s sớm hơn khoảng cách tối thiểu %(span)s sau %(what)s (%(since)s): sớm nhất %(earliest)s"
                    )
                    % {
                        "kind": kind_label,
                        "day": day,
                        "span": span.text,
                        "what": what,
                        "since": _day(since),
                        "earliest": _day(earliest),
                    },
                    False,
                )
            )
    return flags
