"""Recognising the usual Vietnamese column titles and mapping them to field names."""

import re

from phongdich.vntext import fold

# Columns every list has that no importer needs; they are not reported as unused.
IGNORED = {"stt", "tt", "so tt", "so thu tu", "ghi chu"}
_NOISE = re.compile(r"\(.*?\)|[*:]")
_SLASH = re.compile(r"\s*/\s*")


def normalise_title(title: str) -> str:
    """ "Ngày sinh (dd/mm/yyyy)*" → "ngay sinh"; "CCCD / CMND" → "cccd/cmnd"."""
    return _SLASH.sub("/", fold(_NOISE.sub(" ", title.replace("_", " ")))).strip(" .-")


def map_header(header: list[str], synonyms: dict[str, tuple[str, ...]]) -> tuple[dict[str, int], list[str]]:
    """(field → column index, titles of the columns no field uses). The first matching column wins."""
    lookup = {name: field for field, names in synonyms.items() for name in names}
    mapping: dict[str, int] = {}
    unused: list[str] = []
    for index, title in enumerate(header):
        field = lookup.get(normalise_title(title))
        if field and field not in mapping:
            mapping[field] = index
        elif title and normalise_title(title) not in IGNORED:
            unused.append(title)
    return mapping, unused
