"""Parsing and validating identity fields: CCCD/CMND, phone numbers, sex, birth dates.

Each parser takes raw text (from a form, an API call or a spreadsheet cell) and returns
the canonical value, or raises `InvalidValue` with a Vietnamese message for the user.
"""

import re
from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _

from phongdich.people.models import Sex
from phongdich.vntext import fold


class InvalidValue(ValueError):
    """A value the user must correct; str(error) is the Vietnamese message."""


_NON_DIGITS = re.compile(r"\D")

# Mobile prefixes renumbered from 11 to 10 digits in 2018 (Bộ TT&TT, Quyết định 798/QĐ-BTTTT).
_OLD_MOBILE_PREFIXES = {
    "0162": "032", "0163": "033", "0164": "034", "0165": "035", "0166": "036", "0167": "037",
    "0168": "038", "0169": "039", "0120": "070", "0121": "079", "0122": "077", "0126": "076",
    "0128": "078", "0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
    "0186": "056", "0188": "058", "0199": "059",
}  # fmt: skip
_MOBILE = re.compile(r"^0[35789]\d{8}$")
_LANDLINE = re.compile(r"^02\d{9}$")


def parse_phone(raw: str) -> str:
    """ "+84 912.345.678", "84912345678", "0912 345 678" → "0912345678"."""
    text = str(raw).strip()
    if text.endswith(".0"):  # a number cell read back as a float
        text = text[:-2]
    digits = _NON_DIGITS.sub("", text)
    if not digits:
        raise InvalidValue(_("Số điện thoại trống hoặc không có chữ số."))
    if digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    elif not digits.startswith("0") and len(digits) in (9, 10):
        digits = "0" + digits  # Excel dropped the leading zero
    if len(digits) == 11 and digits[:4] in _OLD_MOBILE_PREFIXES:
        digits = _OLD_MOBILE_PREFIXES[digits[:4]] + digits[4:]
    if _MOBILE.match(digits) or _LANDLINE.match(digits):
        return digits
    raise InvalidValue(
        _("Số điện thoại “%(value)s” không hợp lệ (di động 10 số, bắt đầu bằng 03, 05, 07, 08, 09).") % {"value": raw}
    )


def parse_national_id(raw: str) -> str:
    """A CCCD has 12 digits whose first three are a province code (001–096); a CMND has 9."""
    text = str(raw).strip()
    if text.endswith(".0"):
        text = text[:-2]
    digits = re.sub(r"[\s.\-]", "", text)
    if not digits.isdigit():
        raise InvalidValue(_("CCCD/CMND “%(value)s” chỉ được chứa chữ số.") % {"value": raw})
    if len(digits) == 11:
        digits = "0" + digits  # Excel dropped the leading zero of a CCCD
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) == 12:
        if not 1 <= int(digits[:3]) <= 96:
            raise InvalidValue(
                _("CCCD “%(value)s” có mã tỉnh “%(code)s” không hợp lệ.") % {"value": raw, "code": digits[:3]}
            )
        return digits
    if len(digits) == 9:
        return digits
    raise InvalidValue(
        _("CCCD phải có 12 chữ số, CMND 9 chữ số; “%(value)s” có %(n)d.") % {"value": raw, "n": len(digits)}
    )


def national_id_conflicts(national_id: str, *, birth_year: int | None, sex: str) -> str | None:
    """For a CCCD, the 4th digit encodes century and sex, digits 5–6 the birth year: say if they disagree."""
    if len(national_id) != 12 or birth_year is None:
        return None
    century_sex = int(national_id[3])
    century = 1900 + 100 * (century_sex // 2)
    year = century + int(national_id[4:6])
    if year != birth_year:
        return _("CCCD cho năm sinh %(year)d, khác năm sinh đã nhập %(given)d.") % {"year": year, "given": birth_year}
    if sex and sex != (Sex.MALE if century_sex % 2 == 0 else Sex.FEMALE):
        return _("CCCD cho giới tính khác với giới tính đã nhập.")
    return None


_SEX_WORDS = {"nam": Sex.MALE, "m": Sex.MALE, "male": Sex.MALE, "trai": Sex.MALE,
              "nu": Sex.FEMALE, "f": Sex.FEMALE, "female": Sex.FEMALE, "gai": Sex.FEMALE}  # fmt: skip


def parse_sex(raw: str) -> str:
    text = fold(str(raw))
    if not text:
        return Sex.UNKNOWN
    if text in _SEX_WORDS:
        return _SEX_WORDS[text]
    raise InvalidValue(_("Giới tính “%(value)s” không hiểu được (ghi Nam hoặc Nữ).") % {"value": raw})


_EXCEL_EPOCH = date(1899, 12, 30)
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d-%m-%y", "%Y/%m/%d")


def parse_date(raw: object) -> date:
    """dd/mm/yyyy, d/m/yy, yyyy-mm-dd, a date cell, or an Excel serial number."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if 1 <= raw < 100000:
            return _EXCEL_EPOCH + timedelta(days=int(raw))
        raise InvalidValue(_("Số “%(value)s” không phải là ngày.") % {"value": raw})
    text = str(raw).strip().split(" ")[0]
    quick = _DMY.fullmatch(text)
    if quick:  # the common dd/mm/yyyy, without strptime's cost
        try:
            return date(int(quick[3]), int(quick[2]), int(quick[1]))
        except ValueError:
            raise InvalidValue(_("Ngày “%(value)s” không tồn tại.") % {"value": raw}) from None
    if re.fullmatch(r"\d{5}(\.0)?", text):
        return _EXCEL_EPOCH + timedelta(days=int(float(text)))
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if fmt.endswith("%y") and parsed.year > date.today().year:
            parsed = parsed.replace(year=parsed.year - 100)
        return parsed
    raise InvalidValue(_("Ngày “%(value)s” không đúng định dạng (dd/mm/yyyy).") % {"value": raw})


def parse_birth(raw: object) -> tuple[date | None, int]:
    """A full date of birth or a birth year only: returns (birth_date or None, birth_year)."""
    # Four-digit numbers are years: as Excel serials they would mean 1902–1905.
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and 1000 <= raw <= 2100:
        year = int(raw)
        birth_date = None
    elif isinstance(raw, str) and re.fullmatch(r"\s*\d{4}(\.0)?\s*", raw):
        year = int(float(raw))
        birth_date = None
    else:
        birth_date = parse_date(raw)
        year = birth_date.year
    if not 1900 <= year <= date.today().year:
        raise InvalidValue(_("Năm sinh %(year)d không hợp lý.") % {"year": year})
    if birth_date and birth_date > date.today():
        raise InvalidValue(_("Ngày sinh ở tương lai."))
    return birth_date, year


ProbableKey = tuple[str, int | None, str, int]


def probable_key(name_search: str, birth_year: int | None, phone: str, ward_id: int) -> ProbableKey:
    """Without a CCCD, the same folded name, birth year and phone is probably the same person
    (people.selectors.person_probable_matches); the importers match list rows by it. A row with neither birth
    year nor phone is compared within its ward only, so that re-importing it still finds the person it created."""
    return (name_search, birth_year, phone, 0 if birth_year or phone else ward_id)
