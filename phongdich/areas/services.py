"""Writes to the area tree: loading the GSO units and setting ward populations."""

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from phongdich.areas.models import Area, Level
from phongdich.areas.scoping import areas_within
from phongdich.audit.models import Event
from phongdich.audit.services import audit_record

DATA_DIR = Path(__file__).resolve().parent / "data"
_LEVELS = {"province": Level.PROVINCE, "district": Level.DISTRICT, "ward": Level.WARD}


@transaction.atomic
def areas_load(*, path: Path = DATA_DIR / "admin_units.csv") -> int:
    """Create or refresh every unit of the committed GSO file; safe to run again. Returns the count."""
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    existing = {a.code: a for a in Area.objects.all()}
    by_code: dict[str, Area] = {}
    for level in (Level.PROVINCE, Level.DISTRICT, Level.WARD):
        new, changed = [], []
        for row in rows:
            if _LEVELS[row["level"]] != level:
                continue
            values = {
                "level": level,
                "name": row["name"],
                "division_type": row["division_type"],
                "parent": by_code.get(row["parent_code"]),
                "lat": float(row["lat"]) if row["lat"] else None,
                "lon": float(row["lon"]) if row["lon"] else None,
            }
            area = existing.get(row["code"])
            if area is None:
                area = Area(code=row["code"], **values)
                new.append(area)
            elif any(getattr(area, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(area, k, v)
                changed.append(area)
            by_code[row["code"]] = area
        Area.objects.bulk_create(new, batch_size=2000)
        Area.objects.bulk_update(changed, ["level", "name", "division_type", "parent", "lat", "lon"], batch_size=2000)
    return len(by_code)


@dataclass
class PopulationResult:
    updated: int = 0
    errors: list[str] = field(default_factory=list)


@transaction.atomic
def population_import(*, actor: object, scope: Area, rows: Iterable[tuple[int, str, object]]) -> PopulationResult:
    """Set ward populations from (row number, ward code, population) rows; bad rows are reported, the rest kept."""
    wards = {a.code: a for a in areas_within(scope).filter(level=Level.WARD)}
    result = PopulationResult()
    for row_number, code, raw in rows:
        code = str(code).strip()
        if code.endswith(".0"):
            code = code[:-2]
        ward = wards.get(code.zfill(5))
        if ward is None:
            result.errors.append(
                _("Dòng %(row)d: mã phường/xã “%(code)s” không có trong địa bàn.") % {"row": row_number, "code": code}
            )
            continue
        try:
            population = _whole_number(raw)
        except ValueError:
            result.errors.append(
                _("Dòng %(row)d: dân số “%(value)s” không phải số nguyên không âm.") % {"row": row_number, "value": raw}
            )
            continue
        if ward.population != population:
            population_set(actor=actor, ward=ward, population=population)
            result.updated += 1
    return result


def _whole_number(raw: object) -> int:
    """37853.0 (a spreadsheet number) or "37.853" / "37,853" (text with separators) → 37853."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if raw != int(raw) or raw < 0:
            raise ValueError(raw)
        return int(raw)
    value = int(str(raw).replace(".", "").replace(",", "").replace(" ", "").strip())
    if value < 0:
        raise ValueError(raw)
    return value


@transaction.atomic
def population_set(*, actor: object, ward: Area, population: int) -> None:
    old = ward.population
    ward.population = population
    ward.save(update_fields=["population"])
    audit_record(
        actor=actor, event=Event.UPDATE, target_type="area", target_id=ward.pk, area=ward,
        changes={"population": [old, population]},
    )  # fmt: skip
