"""Finding the ward a free-text address means, tolerant of how people write it.

"P. Phuc Xa", "phường  phúc xá", "Phúc Xá, Q. Ba Đình" all find Phường Phúc Xá; a wrong or
missing district is tolerated when the ward name is unique in the province.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.translation import gettext as _

from phongdich.areas.models import Area, Level
from phongdich.vntext import fold

# Abbreviations and type words, folded, longest first so "thi tran" wins over "tt".
_TYPE_WORDS = [
    "thanh pho", "thi tran", "thi xa", "phuong", "quan", "huyen", "tinh", "xa",
    "tp.", "tt.", "tx.", "tp", "tt", "tx", "p.", "q.", "h.", "x.",
]  # fmt: skip
_PREFIX = re.compile(r"^(?:" + "|".join(re.escape(w) for w in _TYPE_WORDS) + r")(?:\s+|(?<=\.))")
_LEADING_ZERO = re.compile(r"^0+(\d)")


@lru_cache(maxsize=8192)
def base_name(text: str) -> str:
    """ "Phường Phúc Xá" / "P.Phuc Xa" / "phuc  xa" → "phuc xa"; "Phường 05" → "5"."""
    folded = fold(text).strip(" ,.-")
    while True:
        stripped = _PREFIX.sub("", folded, count=1).strip()
        if stripped == folded or not stripped:
            break
        folded = stripped
    return _LEADING_ZERO.sub(r"\1", folded)


@dataclass(frozen=True)
class WardMatch:
    ward: Area | None
    # A Vietnamese message when the ward was not found, or found despite a doubt.
    problem: str = ""
    doubtful: bool = False


@dataclass
class WardMatcher:
    """Built once per import from the province's wards; matching is then a dictionary lookup."""

    wards_by_name: dict[str, list[Area]] = field(default_factory=dict)
    districts_by_name: dict[str, Area] = field(default_factory=dict)

    @classmethod
    def for_province(cls, province: Area) -> "WardMatcher":
        matcher = cls()
        districts = {d.pk: d for d in Area.objects.filter(parent=province, level=Level.DISTRICT)}
        for district in districts.values():
            matcher.districts_by_name[base_name(district.name)] = district
        for ward in Area.objects.filter(parent__in=districts.keys(), level=Level.WARD):
            ward.parent = districts[ward.parent_id]
            matcher.wards_by_name.setdefault(base_name(ward.name), []).append(ward)
        return matcher

    def match(self, *, ward_text: str, district_text: str = "", address: str = "") -> WardMatch:
        if not ward_text.strip():
            return self._from_address(address, district_text)
        candidates = self.wards_by_name.get(base_name(ward_text), [])
        district = self.districts_by_name.get(base_name(district_text)) if district_text.strip() else None
        if not candidates:
            return WardMatch(None, _("Không tìm thấy phường/xã “%(ward)s” trong tỉnh/thành phố.") % {"ward": ward_text})
        if district is not None:
            in_district = [w for w in candidates if w.parent_id == district.pk]
            if in_district:
                return WardMatch(in_district[0])
        if len(candidates) == 1:
            ward = candidates[0]
            if district_text.strip():
                return WardMatch(
                    ward,
                    _(
                        "Quận/huyện “%(given)s” không khớp; đã xếp vào %(ward)s, %(district)s vì tên phường/xã là duy nhất."
                    )
                    % {"given": district_text, "ward": ward.name, "district": ward.parent.name},
                    doubtful=True,
                )
            return WardMatch(ward)
        names = ", ".join(f"{w.name} ({w.parent.name})" for w in candidates[:5])
        return WardMatch(
            None,
            _("Có nhiều phường/xã tên “%(ward)s”: %(names)s; cần ghi rõ quận/huyện.")
            % {"ward": ward_text, "names": names},
        )

    def _from_address(self, address: str, district_text: str) -> WardMatch:
        """No ward column: try the comma-separated parts of the address, last first."""
        parts = [p for p in (s.strip() for s in address.split(",")) if p]
        for i in range(len(parts) - 1, -1, -1):
            if base_name(parts[i]) in self.wards_by_name:
                district = district_text or (parts[i + 1] if i + 1 < len(parts) else "")
                return self.match(ward_text=parts[i], district_text=district)
        return WardMatch(None, _("Thiếu phường/xã và không tìm được phường/xã trong địa chỉ."))
