"""Writing assessments: the levels of every ward, district and the city for a cut-off day, in bulk."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.accounts.models import User
from phongdich.areas.models import Area, Level
from phongdich.audit.models import Event
from phongdich.audit.services import audit_record
from phongdich.levels.evaluate import evaluate
from phongdich.levels.inputs import area_inputs
from phongdich.levels.models import Assessment, AssessmentKind
from phongdich.levels.versions import rule_in_force
from phongdich.rules.registry import NoRuleInForce

UPDATED_FIELDS = ["level", "transmission", "capacity", "rule_set", "rule_version", "inputs", "reasoning", "cell",
                  "computed_at"]  # fmt: skip


def the_city() -> Area:
    city = Area.objects.filter(code=settings.PHONGDICH_PROVINCE_CODE, level=Level.PROVINCE).first()
    if city is None:
        raise ValidationError({"area": _("Chưa nạp danh mục đơn vị hành chính (manage.py seed_areas).")})
    return city


@transaction.atomic
def levels_assess(
    *, cutoff_on: date, kind: str, actor: User | None = None, areas: list[Area] | None = None,
    now: datetime | None = None,
) -> int:  # fmt: skip
    """Compute and store (insert or replace) the assessment of each area — by default the city, its districts and
    all its wards — for the window ending on report day `cutoff_on`. Returns how many were written."""
    if kind not in AssessmentKind.values:
        raise ValidationError({"kind": _("Loại đánh giá không hợp lệ.")})
    now = now or timezone.now()
    if cutoff_on > timezone.localdate(now):
        raise ValidationError({"cutoff_on": _("Ngày chốt số liệu không được sau hôm nay.")})
    try:
        rule, version = rule_in_force(on=cutoff_on)
    except NoRuleInForce:
        raise ValidationError(
            {"cutoff_on": _("Chưa có quy định đánh giá cấp độ dịch vào ngày %(d)s.") % {"d": f"{cutoff_on:%d/%m/%Y}"}}
        ) from None
    city = the_city()
    rows = []
    for item in area_inputs(city=city, cutoff_on=cutoff_on, params=version.params, areas=areas):
        result = evaluate(params=version.params, indicators=item.indicators)
        rows.append(
            Assessment(
                area=item.area,
                cutoff_on=cutoff_on,
                kind=kind,
                level=result.level,
                transmission=result.transmission,
                capacity=result.capacity,
                rule_set=rule.code,
                rule_version=version.number,
                inputs={**item.facts, **result.used, "criteria": result.criteria},
                reasoning=result.steps,
                cell=result.cell,
                computed_at=now,
            )
        )
    Assessment.objects.bulk_create(
        rows, batch_size=500, update_conflicts=True, unique_fields=["area", "cutoff_on", "kind"],
        update_fields=UPDATED_FIELDS,
    )  # fmt: skip
    audit_record(
        actor=actor, event=Event.CREATE, target_type="level_assessment", target_id=None,
        area=actor.area if actor is not None else city,
        changes={"cutoff_on": cutoff_on.isoformat(), "kind": kind, "rule_set": rule.code,
                 "rule_version": version.number, "areas": len(rows)},
    )  # fmt: skip
    return len(rows)
