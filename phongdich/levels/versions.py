"""Versions of an epidemic-level rule set's numbers: seeded from its JSON file, changed by the city as new versions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from phongdich.accounts.models import User
from phongdich.audit.models import Event
from phongdich.audit.services import audit_record
from phongdich.levels.models import RuleVersion
from phongdich.levels.params import param_fields, param_get, params_check
from phongdich.rules.registry import RuleSet, rule_set_by_code, rule_set_in_force, rule_sets
from phongdich.vntext import nfc

KIND = "epidemic_level"
SEED_NOTE = "Nạp từ tệp quy định"


def level_rule_sets() -> list[RuleSet]:
    """The epidemic-level rule sets shipped with the code, oldest first."""
    return [r for r in rule_sets() if r.kind == KIND]


def rule_version_current(code: str) -> RuleVersion:
    """The latest version of rule set `code`; version 1 is created from the JSON file on first use."""
    row = RuleVersion.objects.filter(rule_set=code).order_by("-number").first()
    if row is not None:
        return row
    rule = rule_set_by_code(code)
    try:
        with transaction.atomic():
            return RuleVersion.objects.create(rule_set=code, number=1, params=rule.params, note=SEED_NOTE)
    except IntegrityError:  # another process seeded it at the same moment
        return RuleVersion.objects.filter(rule_set=code).order_by("-number").first()  # type: ignore[return-value]


def rule_version_get(code: str, number: int) -> RuleVersion:
    """One stored version (seeding version 1 first if the rule set was never used)."""
    current = rule_version_current(code)
    if current.number == number:
        return current
    row = RuleVersion.objects.filter(rule_set=code, number=number).first()
    if row is None:
        raise ValidationError(
            {"rule_version": _("Quy định %(code)s không có phiên bản %(n)s.") % {"code": code, "n": number}}
        )
    return row


def rule_in_force(*, on: date) -> tuple[RuleSet, RuleVersion]:
    """The rule set in force on `on` and the version of its numbers to use (its latest)."""
    rule = rule_set_in_force(kind=KIND, on=on)
    return rule, rule_version_current(rule.code)


@transaction.atomic
def rule_version_create(
    *, actor: User, code: str, params: dict[str, Any], note: str, based_on: int | None = None
) -> RuleVersion:
    """Save changed numbers as the next version (audited). `based_on` is the version the editor started from:
    if someone saved another version meanwhile, nothing is overwritten and the editor is told."""
    rule = rule_set_by_code(code)
    if rule.kind != KIND:
        raise ValidationError({"rule_set": _("“%(code)s” không phải quy định cấp độ dịch.") % {"code": code}})
    note = nfc(note.strip())
    if not note:
        raise ValidationError({"note": _("Cần ghi lý do thay đổi (ví dụ: số văn bản của Sở Y tế).")})
    if params.get("method") != rule.params["method"]:
        raise ValidationError({"method": _("Không được đổi phương pháp đánh giá của quy định.")})
    params_check(params)
    current = rule_version_current(code)
    if based_on is not None and based_on != current.number:
        raise ValidationError(
            {"based_on": _("Quy định vừa được người khác lưu thành phiên bản %(n)s; hãy mở lại và sửa trên phiên bản đó.")
             % {"n": current.number}}
        )  # fmt: skip
    changed = {
        f.name: [param_get(current.params, f.path), param_get(params, f.path)]
        for f in param_fields(params)
        if param_get(current.params, f.path) != param_get(params, f.path)
    }
    if not changed:
        raise ValidationError(
            {"params": _("Không có ngưỡng nào thay đổi so với phiên bản %(n)s.") % {"n": current.number}}
        )
    try:
        with transaction.atomic():
            row = RuleVersion.objects.create(
                rule_set=code, number=current.number + 1, params=params, note=note, created_by=actor
            )
    except IntegrityError:
        raise ValidationError({"based_on": _("Quy định vừa được người khác lưu; hãy mở lại trang.")}) from None
    audit_record(
        actor=actor, event=Event.CREATE, target_type="level_rule_version", target_id=row.pk, area=actor.area,
        changes=changed, extra={"rule_set": code, "number": row.number, "note": note},
    )  # fmt: skip
    return row
