"""The editable numbers of an epidemic-level rule set: which ones, their Vietnamese labels, and their checks.

A health department edits these on a form (never raw JSON); `params_check` is the one validation every new
version passes, whatever its origin (form, command, test), with a Vietnamese message naming the field.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phongdich.levels.evaluate import CAPACITY_COLUMNS, CAPACITY_LABELS

CASE_SCOPES = {"all": gettext_lazy("Mọi ca (cộng đồng, trong khu cách ly, nơi khác về)"),
               "community": gettext_lazy("Chỉ ca cộng đồng")}  # fmt: skip


@dataclass(frozen=True)
class ParamField:
    path: tuple[str | int, ...]
    label: str
    kind: str  # "int", "number", "percent", "level", "bool", "scope"
    minimum: float | None = 0

    @property
    def name(self) -> str:
        """The form field name: the path joined with "__" (e.g. "case_bands__0")."""
        return "__".join(str(p) for p in self.path)


def _common() -> list[ParamField]:
    return [
        ParamField(("window_days",), _("Số ngày tính ca mắc"), "int", 1),
        ParamField(("divisor",), _("Chia cho (để ra số ca một tuần)"), "number", 0.01),
        ParamField(("case_scope",), _("Ca được tính"), "scope"),
        ParamField(("count_late",), _("Tính cả ca nhập muộn (bổ sung)"), "bool"),
        ParamField(("per_population",), _("Tính trên số dân"), "int", 1),
    ]


def _bands(prefix: tuple[str, ...], what: str) -> list[ParamField]:
    return [
        ParamField(
            (*prefix, i), _("%(what)s: từ mức này là cấp/mức %(level)s") % {"what": what, "level": i + 2}, "number"
        )
        for i in range(3)
    ]


def _capacity() -> list[ParamField]:
    return [
        ParamField(("capacity", "free_beds_per_100k"), _("Giường điều trị trống tối thiểu /100.000 dân (quận/huyện)"), "number"),
        ParamField(("capacity", "free_icu_beds_per_100k"), _("Giường hồi sức tích cực trống tối thiểu /100.000 dân (thành phố)"), "number"),
        ParamField(("capacity", "home_care_ready_pct"), _("Tỷ lệ phường/xã có tổ chăm sóc F0 tối thiểu (%)"), "percent"),
    ]  # fmt: skip


def param_fields(params: dict[str, Any]) -> list[ParamField]:
    """The fields a health department may edit for this rule set's method."""
    fields = _common()
    if params["method"] == "4800":
        fields += _bands(("case_bands",), _("Ca mắc mới /100.000 dân/tuần"))
        fields += [
            ParamField(
                ("coverage", "adult_first_dose_pct"), _("Từ 18 tuổi tiêm ít nhất 1 mũi, tối thiểu (%)"), "percent"
            ),
            ParamField(("coverage", "over_50_primary_pct"), _("Từ 50 tuổi tiêm đủ liều, tối thiểu (%)"), "percent"),
        ]
        fields += _capacity()
        fields += [
            ParamField(("combine", "raise_if_coverage_not_met"), _("Chưa đạt tiêm chủng thì nâng 1 cấp"), "bool"),
            ParamField(("combine", "lower_band_4_if_coverage_and_capacity_met"),
                       _("Dải cấp 4 mà đạt tiêm chủng và năng lực điều trị thì cấp 3"), "bool"),
        ]  # fmt: skip
        return fields
    fields += _bands(("transmission", "cases_per_100k_week"), _("Ca mắc mới /100.000 dân/tuần"))
    fields += _bands(("transmission", "oxygen_per_100k_week"), _("Người bệnh cần thở oxy /100.000 dân/tuần"))
    fields += _bands(("transmission", "deaths_per_100k_week"), _("Tử vong /100.000 dân/tuần"))
    fields += [
        ParamField(("coverage", "adult_primary_pct"), _("Từ 18 tuổi tiêm đủ liều cơ bản, tối thiểu (%)"), "percent"),
        ParamField(("coverage", "over_50_primary_pct"), _("Từ 50 tuổi tiêm đủ liều cơ bản, tối thiểu (%)"), "percent"),
    ]
    fields += _capacity()
    fields += [
        ParamField(
            ("capacity", "high_min_met"), _("Khả năng đáp ứng cao khi đạt ít nhất (tiêu chí, trên 3)"), "int", 0
        ),
        ParamField(
            ("capacity", "medium_min_met"), _("Khả năng đáp ứng trung bình khi đạt ít nhất (tiêu chí)"), "int", 0
        ),
    ]
    for column in CAPACITY_COLUMNS:
        for row in range(4):
            label = _("Ma trận: lây nhiễm mức %(row)s × đáp ứng %(column)s") % {
                "row": row + 1, "column": CAPACITY_LABELS[column]}  # fmt: skip
            fields.append(ParamField(("matrix", column, row), label, "level", 1))
    return fields


def param_get(params: dict[str, Any], path: tuple[str | int, ...]) -> Any:
    value: Any = params
    for part in path:
        value = value[part]
    return value


def params_with(params: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """A copy of `params` with the form's values (keyed by field name) written at their paths."""
    result = copy.deepcopy(params)
    for f in param_fields(params):
        if f.name in values:
            target: Any = result
            for part in f.path[:-1]:
                target = target[part]
            target[f.path[-1]] = values[f.name]
    return result


def params_check(params: dict[str, Any]) -> None:
    """Raise ValidationError (field name → Vietnamese message) unless every editable number makes sense."""
    errors: dict[str, str] = {}
    if params.get("method") not in ("4800", "218"):
        raise ValidationError({"method": _("Phương pháp đánh giá không hợp lệ (chỉ có 4800 hoặc 218).")})
    for f in param_fields(params):
        try:
            value = param_get(params, f.path)
        except (KeyError, IndexError, TypeError):
            errors[f.name] = _("Thiếu “%(label)s”.") % {"label": f.label}
            continue
        message = _check_value(f, value)
        if message:
            errors[f.name] = message
    if not errors:
        _check_orders(params, errors)
    if errors:
        raise ValidationError(errors)


def _check_value(f: ParamField, value: Any) -> str:
    if f.kind == "bool":
        return "" if isinstance(value, bool) else _("“%(label)s” phải là có/không.") % {"label": f.label}
    if f.kind == "scope":
        return "" if value in CASE_SCOPES else _("“%(label)s” không hợp lệ.") % {"label": f.label}
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return _("“%(label)s” phải là một số.") % {"label": f.label}
    if f.kind in ("int", "level") and not float(value).is_integer():
        return _("“%(label)s” phải là số nguyên.") % {"label": f.label}
    if f.minimum is not None and value < f.minimum:
        return _("“%(label)s” không được nhỏ hơn %(min)s.") % {"label": f.label, "min": f.minimum}
    if f.kind == "percent" and value > 100:
        return _("“%(label)s” là tỷ lệ phần trăm, không quá 100.") % {"label": f.label}
    if f.kind == "level" and value > 4:
        return _("“%(label)s” phải là cấp 1 đến 4.") % {"label": f.label}
    if f.path == ("window_days",) and value > 28:
        return _("“%(label)s” không quá 28 ngày.") % {"label": f.label}
    return ""


def _check_orders(params: dict[str, Any], errors: dict[str, str]) -> None:
    """Band thresholds must rise; the capacity counts must be 0–3 with high ≥ medium."""
    groups = [("case_bands",)] if params["method"] == "4800" else [
        ("transmission", name) for name in ("cases_per_100k_week", "oxygen_per_100k_week", "deaths_per_100k_week")]  # fmt: skip
    for prefix in groups:
        values = param_get(params, prefix)
        for i in range(1, len(values)):
            if values[i] <= values[i - 1]:
                name = "__".join((*prefix, str(i)))
                errors[name] = _("Ngưỡng cấp/mức %(level)s phải lớn hơn ngưỡng cấp/mức %(prev)s.") % {
                    "level": i + 2, "prev": i + 1}  # fmt: skip
    if params["method"] == "218":
        capacity = params["capacity"]
        for key in ("high_min_met", "medium_min_met"):
            if capacity[key] > 3:
                errors[f"capacity__{key}"] = _("Chỉ có 3 tiêu chí: nhập 0 đến 3.")
        if capacity["high_min_met"] < capacity["medium_min_met"]:
            errors["capacity__high_min_met"] = _("Số tiêu chí cho mức cao phải ≥ số tiêu chí cho mức trung bình.")
