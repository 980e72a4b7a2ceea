"""Reads of the person registry: scoped lists, search, and probable duplicates."""

import re
from dataclasses import dataclass

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
    # Full names starting with the text come first, from an ordered index scan; names merely
    # containing it (a given name, a middle part) fill the rest. Whatever the text, each of the
    # two queries stays cheap: a common text fills the list from the prefix index alone, and a
    # text common enough to be slow as a substring is always common as a prefix.
    folded = fold(query)
    found = list(people.filter(name_search__startswith=folded).order_by("name_search")[:limit])
    if len(found) < limit and len(folded) >= 3:
        more = people.filter(name_search__contains=folded).exclude(name_search__startswith=folded)
        found += more.order_by("name_search")[: limit - len(found)]
    return found


def person_probable_matches(
    *, full_name: str, birth_year: int | None, phone: str, exclude_id: int | None = None, user: User | None = None
) -> QuerySet[Person]:
    """Other persons with the same folded name, birth year and phone: probably the same person.
    With `user`, only those the user may see."""
    if birth_year is None or not phone:
        return Person.objects.none()
    people = persons_visible_to(user) if user is not None else Person.objects.active()
    matches = people.filter(name_search=fold(full_name), birth_year=birth_year, phone=phone)
    return matches.exclude(pk=exclude_id) if exclude_id else matches


@dataclass(frozen=True)
class RegistrationMatch:
    """Whose F0 a hand-typed registration is: an existing person to reuse, or candidates to ask about."""

    person: Person | None = None
    by_national_id: bool = False
    # Probable duplicates the officer must decide on before anything is written.
    candidates: tuple[Person, ...] = ()


def person_match_for_registration(
    *, user: User, national_id: str | None, full_name: str, birth_year: int | None, phone: str, choice: str = ""
) -> RegistrationMatch:
    """The same CCCD/CMND is the same person, wherever they live. Otherwise persons the user may see
    with the same name, birth year and phone are candidates; `choice` is the officer's answer:
    a candidate's id (reuse them) or "new" (create a new person anyway)."""
    if national_id:
        person = Person.objects.active().select_related("ward__parent").filter(national_id=national_id).first()
        if person is not None:
            return RegistrationMatch(person=person, by_national_id=True)
    if choice == "new":
        return RegistrationMatch()
    candidates = person_probable_matches(full_name=full_name, birth_year=birth_year, phone=phone, user=user)
    if national_id:
        # A person holding another CCCD/CMND cannot be this one.
        candidates = candidates.filter(national_id__isnull=True)
    found = tuple(candidates.select_related("ward__parent").order_by("-id")[:20])
    chosen = next((person for person in found if str(person.pk) == choice), None)
    if chosen is not None:
        return RegistrationMatch(person=chosen)
    return RegistrationMatch(candidates=found)
