"""Area scoping in one place: which wards a user's area covers, as a filter any query can use.

Every list, detail, export, API and report reaches data through `in_area()`; an object
outside the user's subtree is simply not found (404), never "forbidden".
"""

from django.db.models import Q, QuerySet

from phongdich.areas.models import Area, Level


def ward_ids(area: Area) -> QuerySet[Area]:
    """The ids of the wards inside `area` (itself when it is a ward), as a subquery."""
    wards = Area.objects.filter(level=Level.WARD)
    if area.level == Level.WARD:
        return wards.filter(pk=area.pk).values("pk")
    if area.level == Level.DISTRICT:
        return wards.filter(parent_id=area.pk).values("pk")
    return wards.filter(parent__parent_id=area.pk).values("pk")


def in_area(area: Area, *, ward_field: str = "ward") -> Q:
    """A filter for rows whose `ward_field` lies inside `area`.

    The ward ids are spelled out as a literal list (at most a few hundred): given a subquery,
    PostgreSQL guesses a city has ~30 wards instead of ~600 and then sorts every row of a
    million-row table before taking one page of 50.
    """
    if area.level == Level.WARD:
        return Q(**{f"{ward_field}_id": area.pk})
    return Q(**{f"{ward_field}_id__in": list(ward_ids(area).values_list("pk", flat=True))})


def area_covers_ward(area: Area, ward: Area) -> bool:
    """True when `ward` lies inside `area`, without a query when `ward.parent` is already loaded.

    For fetching one object by id: cheaper than filtering by a list of a city's ~600 ward ids."""
    if area.level == Level.WARD:
        return ward.pk == area.pk
    if area.level == Level.DISTRICT:
        return ward.parent_id == area.pk
    return ward.parent is not None and ward.parent.parent_id == area.pk


def area_contains(outer: Area, inner: Area) -> bool:
    """True when `inner` is `outer` or lies below it."""
    node: Area | None = inner
    while node is not None:
        if node.pk == outer.pk:
            return True
        node = node.parent
    return False


def areas_within(area: Area) -> QuerySet[Area]:
    """`area` and every unit below it."""
    if area.level == Level.WARD:
        return Area.objects.filter(pk=area.pk)
    if area.level == Level.DISTRICT:
        return Area.objects.filter(Q(pk=area.pk) | Q(parent_id=area.pk))
    return Area.objects.filter(Q(pk=area.pk) | Q(parent_id=area.pk) | Q(parent__parent_id=area.pk))
