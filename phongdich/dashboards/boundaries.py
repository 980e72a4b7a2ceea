"""Importing real ward boundaries (a GeoJSON FeatureCollection) into Area.geometry, for the map.

Features are matched to the province's wards by GSO code ("00001"; "1" is padded) or by name through
`areas.matching` (so "P. Phúc Xá" finds Phường Phúc Xá; a district property settles names used twice). Every
feature that could not be used is reported with its position, its key and why; nothing is stored for it.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from phongdich.areas.matching import WardMatcher
from phongdich.areas.models import Area, Level
from phongdich.audit.models import Event
from phongdich.audit.services import audit_record
from phongdich.dashboards.shapes import shapes_invalidate

BY_CODE = "code"
BY_NAME = "name"
_GEOMETRY_TYPES = ("Polygon", "MultiPolygon")


@dataclass(frozen=True)
class Unmatched:
    index: int  # position of the feature in the file, from 1
    key: str
    reason: str


@dataclass
class BoundaryImport:
    features: int = 0
    matched: dict[int, str] = field(default_factory=dict)  # ward id → the key that found it
    unmatched: list[Unmatched] = field(default_factory=list)
    wards_without_geometry: int = 0


def _features(collection: Any) -> list[Any]:
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise ValueError(_("Tệp không phải GeoJSON FeatureCollection."))
    features = collection.get("features")
    if not isinstance(features, list):
        raise ValueError(_("Tệp GeoJSON không có danh sách “features”."))
    return features


def _geometry_problem(geometry: Any) -> str:
    """Why a geometry can't be drawn as a ward, or "" when it can."""
    if not isinstance(geometry, dict) or geometry.get("type") not in _GEOMETRY_TYPES:
        return _("Hình không phải Polygon hoặc MultiPolygon.")
    polygons = geometry.get("coordinates")
    if not isinstance(polygons, list) or not polygons:
        return _("Hình không có toạ độ.")
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    for polygon in polygons:
        for ring in polygon if isinstance(polygon, list) else [None]:
            if not isinstance(ring, list) or len(ring) < 4:
                return _("Một vòng của hình có ít hơn 4 điểm.")
            for point in ring:
                if not (
                    isinstance(point, list) and len(point) >= 2 and all(isinstance(v, (int, float)) for v in point[:2])
                ):
                    return _("Toạ độ không phải cặp số [kinh độ, vĩ độ].")
                if not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90):
                    return _("Toạ độ nằm ngoài phạm vi kinh độ/vĩ độ (cần hệ WGS84, kinh độ trước).")
    return ""


def _code_key(value: str) -> str:
    value = value.strip()
    return value.zfill(5) if value.isdigit() else value


@transaction.atomic
def boundaries_import(
    *,
    collection: Any,
    province: Area,
    by: str = BY_CODE,
    field_name: str | None = None,
    district_field: str | None = None,
    actor: Any = None,
    source: str = "",
    dry_run: bool = False,
) -> BoundaryImport:
    """Store the geometry of every feature that matches one ward of `province`; report the others."""
    if by not in (BY_CODE, BY_NAME):
        raise ValueError(_("Cách khớp phải là “code” hoặc “name”."))
    field_name = field_name or by
    features = _features(collection)
    result = BoundaryImport(features=len(features))
    wards = {a.code: a for a in Area.objects.filter(level=Level.WARD, parent__parent_id=province.pk)}
    matcher = WardMatcher.for_province(province) if by == BY_NAME else None
    geometries: dict[int, dict[str, Any]] = {}
    for index, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        properties = properties if isinstance(properties, dict) else {}
        key = str(properties.get(field_name) or "").strip()
        if not key:
            result.unmatched.append(Unmatched(index, "", _("Thiếu thuộc tính “%(field)s”.") % {"field": field_name}))
            continue
        problem = _geometry_problem(feature.get("geometry"))
        if problem:
            result.unmatched.append(Unmatched(index, key, problem))
            continue
        if matcher is None:
            ward = wards.get(_code_key(key))
            problem = (
                "" if ward else _("Không có phường/xã mã %(code)s trong tỉnh/thành phố.") % {"code": _code_key(key)}
            )
        else:
            district = str(properties.get(district_field) or "") if district_field else ""
            match = matcher.match(ward_text=key, district_text=district)
            ward, problem = match.ward, match.problem if match.ward is None else ""
        if ward is None:
            result.unmatched.append(Unmatched(index, key, problem))
            continue
        if ward.pk in geometries:
            result.unmatched.append(
                Unmatched(index, key, _("%(ward)s đã có hình ở một đối tượng trước trong tệp.") % {"ward": ward.name})
            )
            continue
        geometries[ward.pk] = feature["geometry"]
        result.matched[ward.pk] = key
    if not dry_run and geometries:
        changed = []
        for ward in wards.values():
            if ward.pk in geometries:
                ward.geometry = geometries[ward.pk]
                changed.append(ward)
        Area.objects.bulk_update(changed, ["geometry"], batch_size=200)
        audit_record(
            actor=actor, event=Event.IMPORT, target_type="area_geometry", target_id=None, area=province,
            extra={"source": source, "by": by, "matched": len(geometries), "unmatched": len(result.unmatched)},
        )  # fmt: skip
        transaction.on_commit(shapes_invalidate)
    with_geometry = sum(1 for w in wards.values() if w.geometry is not None or w.pk in geometries)
    result.wards_without_geometry = len(wards) - with_geometry
    return result
