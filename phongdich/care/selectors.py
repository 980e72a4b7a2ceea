"""Reads of the care app: facilities (a city resource everybody sees), nearest free beds, stock, an F0's
packages and moves."""

import math
from dataclasses import dataclass

from django.db.models import Avg, Count, F, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from phongdich.accounts.models import User
from phongdich.accounts.roles import Perm, Role
from phongdich.areas.models import Area, Level
from phongdich.areas.scoping import areas_within
from phongdich.care.models import Dispensing, Facility, Package, Stock, Tier, Transfer
from phongdich.cases.models import Case

EARTH_RADIUS_KM = 6371.0


def _province_id(area: Area) -> int:
    if area.level == Level.PROVINCE:
        return area.pk
    if area.level == Level.DISTRICT:
        return area.parent_id  # type: ignore[return-value]
    return Area.objects.values_list("parent_id", flat=True).get(pk=area.parent_id)  # type: ignore[return-value]


def facilities_visible_to(user: User) -> QuerySet[Facility]:
    """Every facility of the user's city: beds are a city resource, whoever manages the F0."""
    if user.area is None:
        return Facility.objects.none()
    return Facility.objects.filter(district__parent_id=_province_id(user.area))


def facility_list(*, user: User, tier: int | None = None, district_id: int | None = None) -> QuerySet[Facility]:
    facilities = facilities_visible_to(user)
    if tier:
        facilities = facilities.filter(tier=tier)
    if district_id:
        facilities = facilities.filter(district_id=district_id)
    return facilities.select_related("district").order_by("tier", "name")


def facility_editable_district_ids(user: User) -> set[int]:
    """Districts whose facilities the user may edit: all of the city for the city, his own for a district."""
    if user.area is None or not user.has_perm_code(Perm.FACILITY_EDIT):
        return set()
    return set(areas_within(user.area).filter(level=Level.DISTRICT).values_list("pk", flat=True))


def facility_for_edit(user: User, facility_id: int) -> Facility:
    """The facility, or 404 when it lies outside the districts the user may edit."""
    facility = (
        facilities_visible_to(user)
        .filter(pk=facility_id, district_id__in=facility_editable_district_ids(user))
        .select_related("district")
        .first()
    )
    if facility is None:
        raise Http404
    return facility


def facility_for_transfer(user: User, facility_id: int) -> Facility | None:
    return facilities_visible_to(user).filter(pk=facility_id).first()


@dataclass(frozen=True)
class NearbyFacility:
    facility: Facility
    distance_km: float | None

    @property
    def free_beds(self) -> int:
        return self.facility.free_beds

    def describe(self) -> str:
        if self.distance_km is None:
            return _("%(name)s (còn %(free)s giường)") % {"name": self.facility.name, "free": self.free_beds}
        return _("%(name)s (còn %(free)s giường, cách %(km)s km)") % {
            "name": self.facility.name,
            "free": self.free_beds,
            "km": f"{self.distance_km:.1f}".replace(".", ","),
        }


def area_centre(area: Area) -> tuple[float, float] | None:
    """The area's own centre, else the centre of its district's wards, else nothing."""
    if area.lat is not None and area.lon is not None:
        return area.lat, area.lon
    district_id = area.parent_id if area.level == Level.WARD else area.pk
    centre = Area.objects.filter(parent_id=district_id, lat__isnull=False, lon__isnull=False).aggregate(
        lat=Avg("lat"), lon=Avg("lon")
    )
    if centre["lat"] is None:
        return None
    return centre["lat"], centre["lon"]


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def facility_nearest_free(
    *, tier: int, near: Area, limit: int = 3, exclude_id: int | None = None
) -> list[NearbyFacility]:
    """The `limit` active facilities of `tier` in `near`'s city with a free bed, nearest first (those without
    coordinates last, most free beds first)."""
    province_id = _province_id(near) if near.level != Level.PROVINCE else near.pk
    candidates = Facility.objects.filter(
        tier=tier, active=True, occupied__lt=F("beds"), district__parent_id=province_id
    ).select_related("district")
    if exclude_id is not None:
        candidates = candidates.exclude(pk=exclude_id)
    origin = area_centre(near)
    found = []
    for facility in candidates:
        has_place = origin is not None and facility.lat is not None and facility.lon is not None
        km = distance_km(origin, (facility.lat, facility.lon)) if has_place else None  # type: ignore[arg-type]
        found.append(NearbyFacility(facility, km))
    found.sort(key=lambda n: (n.distance_km is None, n.distance_km or 0.0, -n.free_beds, n.facility.name))
    return found[:limit]


def facility_choices_by_tier(user: User) -> list[tuple[int, str, list[Facility]]]:
    """Active facilities grouped by tier, for the transfer form."""
    facilities = list(facilities_visible_to(user).filter(active=True).select_related("district").order_by("name"))
    return [(tier.value, str(tier.label), [f for f in facilities if f.tier == tier]) for tier in Tier]


# --- stock ---------------------------------------------------------------------------------------------


def stock_areas(user: User) -> QuerySet[Area]:
    """The ward stations and district centres whose stock the user sees."""
    if user.area is None:
        return Area.objects.none()
    return areas_within(user.area).filter(level__in=[Level.DISTRICT, Level.WARD]).select_related("parent")


def stock_for_user(user: User) -> QuerySet[Stock]:
    """Balances, received and dispensed totals by area and package, districts first."""
    if user.area is None:
        return Stock.objects.none()
    if user.area.level == Level.WARD:
        scope = Q(area_id=user.area.pk)
    elif user.area.level == Level.DISTRICT:
        scope = Q(area_id=user.area.pk) | Q(area__parent_id=user.area.pk)
    else:
        scope = Q(area__parent_id=user.area.pk) | Q(area__parent__parent_id=user.area.pk)
    return Stock.objects.filter(scope).select_related("area__parent").order_by("area__level", "area__code", "package")


@dataclass(frozen=True)
class StockLine:
    area: Area
    stocks: list[Stock | None]  # one per package, in Package order


def stock_lines(stocks: QuerySet[Stock]) -> list[StockLine]:
    """Rows of the stock page: one per area, a column per package."""
    by_area: dict[int, dict[str, Stock]] = {}
    areas: dict[int, Area] = {}
    for stock in stocks:
        by_area.setdefault(stock.area_id, {})[stock.package] = stock
        areas[stock.area_id] = stock.area
    return [StockLine(areas[a], [packages.get(p) for p in Package.values]) for a, packages in by_area.items()]


# --- one F0 ------------------------------------------------------------------------------------------


def dispensings_for_case(case: Case) -> QuerySet[Dispensing]:
    """The packages an F0 received, newest first; `case` comes from case_for_user."""
    return (
        Dispensing.objects.filter(case=case)
        .select_related("dispensed_by", "prescribed_by", "from_area")
        .order_by("-dispensed_at", "-id")
    )


def transfers_for_case(case: Case) -> QuerySet[Transfer]:
    """The F0's moves between home and facilities, newest first; `case` comes from case_for_user."""
    return (
        Transfer.objects.filter(case=case).select_related("from_facility", "to_facility", "by").order_by("-at", "-id")
    )


def prescriber_choices(case: Case) -> QuerySet[User]:
    """Doctors who may prescribe package B for the F0: those whose area covers its ward."""
    ward = case.ward
    covering = [ward.pk, ward.parent_id]
    province = Area.objects.filter(pk=ward.parent_id).values_list("parent_id", flat=True).first()
    if province:
        covering.append(province)
    return User.objects.filter(role=Role.DOCTOR, is_active=True, area_id__in=covering).order_by("username")


def facility_districts(user: User) -> QuerySet[Area]:
    """The districts of the user's city, for the facility filter."""
    if user.area is None:
        return Area.objects.none()
    return Area.objects.filter(level=Level.DISTRICT, parent_id=_province_id(user.area)).order_by("code")


def facility_totals(facilities: QuerySet[Facility]) -> list[dict[str, int]]:
    """Beds, occupied and ICU beds per tier of a facility list, in one query."""
    rows = (
        facilities.order_by()
        .values("tier")
        .annotate(count=Count("id"), beds=Sum("beds"), occupied=Sum("occupied"), icu_beds=Sum("icu_beds"),
                  icu_occupied=Sum("icu_occupied"))
        .order_by("tier")
    )  # fmt: skip
    return [{**row, "free": row["beds"] - row["occupied"]} for row in rows]
