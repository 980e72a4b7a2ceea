"""Recognising the usual Vietnamese column titles and mapping them to field names."""

import re

from phongdich.vntext import fold

# Columns every list has that no importer needs; they are not reported as unused.
IGNORED = {"stt", "tt", "so tt", "so thu tu", "ghi chu"}

# The person columns every list carries (F0 lists, dose lists, …), as their titles read once folded.
PERSON_SYNONYMS: dict[str, tuple[str, ...]] = {
    "full_name": ("ho va ten", "ho ten", "full name"),
    "birth": ("ngay sinh", "nam sinh", "ngay/thang/nam sinh", "ngay thang nam sinh", "ngay sinh/nam sinh", "dob"),
    "sex": ("gioi tinh", "gioi", "gt", "sex"),
    "national_id": ("cccd/cmnd", "cmnd/cccd", "cccd", "cmnd", "so cccd", "so cmnd", "so cccd/cmnd", "so cmnd/cccd",
                    "can cuoc cong dan", "so dinh danh", "ma dinh danh", "cccd/cmnd/ho chieu", "cmnd/cccd/ho chieu",
                    "so cmnd/cccd/ho chieu"),
    "phone": ("so dien thoai", "sdt", "dien thoai", "so dt", "dt lien he", "dien thoai lien he", "phone"),
    "address": ("dia chi", "dia chi cu tru", "noi o", "noi o hien tai", "dia chi noi o", "address"),
    "ward": ("phuong/xa", "phuong xa", "phuong", "xa", "xa/phuong", "phuong/xa/thi tran", "xa/phuong/thi tran"),
    "district": ("quan/huyen", "quan huyen", "quan", "huyen", "quan/huyen/thi xa"),
}  # fmt: skip
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
