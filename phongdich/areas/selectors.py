"""Reads of the area tree."""

from django.conf import settings
from django.db.models import QuerySet

from phongdich.areas.models import Area, Level
from phongdich.areas.scoping import areas_within


def province() -> Area:
    """The province this deployment serves (settings.PHONGDICH_PROVINCE_CODE)."""
    return Area.objects.get(code=settings.PHONGDICH_PROVINCE_CODE, level=Level.PROVINCE)


def wards_visible_to(area: Area) -> QuerySet[Area]:
    return areas_within(area).filter(level=Level.WARD).select_related("parent").order_by("parent__code", "code")


def districts_visible_to(area: Area) -> QuerySet[Area]:
    return areas_within(area).filter(level=Level.DISTRICT).order_by("code")
