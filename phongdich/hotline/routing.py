"""Routing a request to its ward: from the address typed by the operator or the caller, or from a message's text.

The province's WardMatcher is built once per process and kept; it is rebuilt only when the province row
changes (a test database reloaded, a new import of the administrative units).
"""

import re
import threading

from django.conf import settings
from django.utils.translation import gettext as _

from phongdich.areas.matching import WardMatch, WardMatcher, base_name
from phongdich.areas.models import Area, Level
from phongdich.vntext import fold

_lock = threading.Lock()
_cached: tuple[int, WardMatcher] | None = None


def province() -> Area:
    return Area.objects.get(code=settings.PHONGDICH_PROVINCE_CODE, level=Level.PROVINCE)


def ward_matcher() -> WardMatcher:
    """The province's matcher, built on first use (one query for the province row on later calls)."""
    global _cached
    current = province()
    cached = _cached
    if cached is not None and cached[0] == current.pk:
        return cached[1]
    with _lock:
        if _cached is None or _cached[0] != current.pk:
            _cached = (current.pk, WardMatcher.for_province(current))
        return _cached[1]


def ward_from_address(address: str) -> WardMatch:
    """The ward an address names ("12 ngõ 5, P. Phúc Xá, Ba Đình", "5 ngõ 2 Phúc Xá"), or a Vietnamese reason why none.

    First the comma-separated parts (as the import engine reads addresses), then a ward named after a keyword
    ("phường …") anywhere, then the last two to four words of each part ("… ngõ 2 Phúc Xá")."""
    if not address.strip():
        return WardMatch(None, _("Chưa có địa chỉ để xác định phường/xã."))
    matcher = ward_matcher()
    found = matcher.match(ward_text="", address=address)
    if found.ward is not None:
        return found
    in_text = ward_in_text(address)
    if in_text is not None:
        return WardMatch(in_text)
    parts = [fold(p) for p in address.split(",") if p.strip()]
    for i in range(len(parts) - 1, -1, -1):
        words = parts[i].split()
        district = parts[i + 1] if i + 1 < len(parts) else ""
        for n in range(min(4, len(words)), 1, -1):
            name = " ".join(words[-n:])
            if base_name(name) in matcher.wards_by_name:
                by_suffix = matcher.match(ward_text=name, district_text=district)
                if by_suffix.ward is not None:
                    return by_suffix
    return found


# "phường Phúc Xá", "P. Phúc Xá", "xã Tả Lủng", "thị trấn …" followed by up to four words of the name.
_WARD_WORD = re.compile(r"\b(?:phuong|p\.|p|xa|thi tran|tt\.?)\s+((?:[a-z0-9]+\s*){1,4})")
_DISTRICT_WORD = re.compile(r"\b(?:quan|q\.|q|huyen|h\.|thi xa|tx\.?)\s+((?:[a-z0-9]+\s*){1,3})")


def _names_after(pattern: re.Pattern[str], text: str) -> list[str]:
    """For each keyword hit, the words that follow it, longest first ("phuc xa quan" → "phuc xa quan", "phuc xa", …)."""
    out: list[str] = []
    for hit in pattern.finditer(text):
        words = hit.group(1).split()
        out.extend(" ".join(words[:n]) for n in range(len(words), 0, -1))
    return out


def ward_in_text(text: str) -> Area | None:
    """A ward named in free text ("nhà em ở phường Phúc Xá, quận Ba Đình cần gạo"), when the name is unambiguous."""
    matcher = ward_matcher()
    folded = fold(re.sub(r"[,;:()\[\]!?\"]", " ", text))
    district = next(
        (name for name in _names_after(_DISTRICT_WORD, folded) if base_name(name) in matcher.districts_by_name), ""
    )
    for name in _names_after(_WARD_WORD, folded):
        if base_name(name) in matcher.wards_by_name:
            found = matcher.match(ward_text=name, district_text=district)
            if found.ward is not None:
                return found.ward
    return None
