"""Reads of the person registry: scoped lists, search, and probable duplicates."""

import re

from django.db.models import Q, QuerySet
from django.http import Http404

from phongdich.accounts.models import User
from phongdich.areas.scoping import in_area
from phongdich.people.identity import InvalidValue, parse_national_id, parse_phone
from phongdich.people.models import Person
from phongdich.vntext import fold


def persons_visible_to(user: User) -> QuerySet[Person]:
    if user.area is None:
        return Person.objects.none()
    return Person.objects.active().filter(in_area(user.area))


def person_for_user(user: User, person_id: int) -> Person:
    """The person, or 404 when they live outside the user's area (or were merged away)."""
    person = persons_visible_to(user).select_related("ward__parent").filter(pk=person_id).first()
    if person is None:
        raise Http404
    return person


_ID_OR_PHONE = re.compile(r"^[\d\s.+\-()]+$")


def person_search(*, user: User, query: str, limit: int = 50) -> list[Person]:
    """By name typed with or without diacritics, by phone in any format, or by CCCD/CMND."""
    query = query.strip()
    if not query:
        return []
    people = persons_visible_to(user).select_related("ward__parent")
    if _ID_OR_PHONE.match(query):
        condition = Q(pk__in=[])
        for parse, field in ((parse_national_id, "national_id"), (parse_phone, "phone")):
            try:
                condition |= Q(**{field: parse(query)})
            except InvalidValue:
                pass
        return list(people.filter(condition).order_by("-id")[:limit])
    folded = fold(query)
    return list(people.filter(name_search__contains=folded).order_by("-id")[:limit])


def person_probable_matches(
    *, full_name: str, birth_year: int | None, phone: str, exclude_id: int | None = None
) -> QuerySet[Person]:
    """Other persons with the same folded name, birth year and phone: probably the same person."""
    if birth_year is None or not phone:
        return Person.objects.none()
    matches = Person.objects.active().filter(name_search=fold(full_name), birth_year=birth_year, phone=phone)
    return matches.exclude(pk=exclude_id) if exclude_id else matches
