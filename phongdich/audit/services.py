"""Writing audit records; services call these, never views or signals."""

from collections.abc import Iterable
from typing import Any

from django.db import models

from phongdich.areas.models import Area
from phongdich.audit.models import AuditLog, Event


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    return str(value)


def audit_record(
    *,
    actor: Any,
    event: Event,
    target_type: str,
    target_id: int | None,
    area: Area | None,
    changes: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> AuditLog:
    entry = audit_entry(
        actor=actor, event=event, target_type=target_type, target_id=target_id, area=area, changes=changes, extra=extra
    )
    entry.save(force_insert=True)
    return entry


def audit_entry(
    *,
    actor: Any,
    event: Event,
    target_type: str,
    target_id: int | None,
    area: Area | None,
    changes: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> AuditLog:
    """The audit record, not yet saved: for a service that writes it together with other rows in one statement."""
    return AuditLog(
        actor=actor if getattr(actor, "pk", None) else None,
        event=event,
        target_type=target_type,
        target_id=target_id,
        area=area,
        changes={k: _jsonable(v) for k, v in (changes or {}).items()},
        extra={k: _jsonable(v) for k, v in (extra or {}).items()},
    )


def diff(instance: models.Model, new_values: dict[str, Any]) -> dict[str, list[Any]]:
    """{"field": [old, new]} for the fields whose value changes."""
    out: dict[str, list[Any]] = {}
    for field, new in new_values.items():
        old = getattr(instance, field)
        if old != new:
            out[field] = [_jsonable(old), _jsonable(new)]
    return out


def fields_of(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {f: getattr(instance, f) for f in fields}
