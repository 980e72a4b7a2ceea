"""Generate a reproducible synthetic Hà Nội: residents, Omicron-wave case dates and test-site case lists.

Everything here is made up from fixed seeds: the names, ID numbers, phone numbers and
addresses belong to nobody. Only the administrative units are real; they and the (synthetic)
ward populations are read from `phongdich/areas/data/`. The module uses the standard library
only, apart from `xlsxwriter` for `write_case_xlsx`, so that benchmarks and the demo seed can
import it without Django.

    people(count=1_000_000)             residents of Hà Nội, ward chosen by population
    case_dates(count=30_000)            confirmation dates shaped like the Jan–Mar 2022 wave
    write_case_xlsx(path, rows=30_000)  a case list as a test site sends it (also write_case_csv)

Command line:
    python bench/synthetic.py xlsx OUT.xlsx --rows 30000 [--messy] [--seed N]
    python bench/synthetic.py csv OUT.csv --rows 30000 [--messy] [--seed N]
"""

from __future__ import annotations

import argparse
import bisect
import csv
import functools
import itertools
import math
import random
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

# All text in this file is NFC, like the administrative units it reads.
DATA_DIR = Path(__file__).resolve().parents[1] / "phongdich" / "areas" / "data"
HANOI = "01"
# Ages are as of this day, in the middle of the wave.
AGE_REFERENCE_DATE = date(2022, 3, 1)

T = TypeVar("T")


@dataclass(frozen=True)
class SyntheticPerson:
    """One made-up resident of Hà Nội."""

    full_name: str
    birth_date: date | None  # None for the ~25% known by birth year only
    birth_year: int
    sex: str  # "M" or "F"
    national_id: str | None  # 12-digit CCCD, unique within one `people()` run; None for ~15%
    phone: str  # 10-digit mobile number
    address: str  # house and street (phường), tổ dân phố (thị trấn) or thôn/xóm (xã)
    ward_code: str
    district_code: str
    ward_name: str
    district_name: str
    pregnant: bool


# --- Names -----------------------------------------------------------------------------------
# Relative weights; surnames roughly as their share of the population.

SURNAMES = {
    "Nguyễn": 38, "Trần": 11, "Lê": 9.5, "Phạm": 7, "Hoàng": 4.5, "Huỳnh": 0.5, "Phan": 4.5,
    "Vũ": 3.9, "Võ": 0.5, "Đặng": 2.1, "Bùi": 2, "Đỗ": 1.4, "Hồ": 1.3, "Ngô": 1.3, "Dương": 1,
    "Lý": 0.5, "Đào": 0.8, "Đinh": 0.7, "Trịnh": 0.6, "Lương": 0.5, "Đoàn": 0.4, "Mai": 0.4,
    "Tạ": 0.3, "Lưu": 0.3, "Chu": 0.3, "Phùng": 0.3, "Cao": 0.3, "Hà": 0.3, "Kiều": 0.2,
    "Tô": 0.2, "Khuất": 0.1, "Nghiêm": 0.1, "Quách": 0.1, "Vương": 0.1,
}  # fmt: skip

# Middle names differ by sex and generation: "Văn" and "Thị" are much rarer among the young.
MIDDLE_NAMES = {
    ("M", "older"): {
        "Văn": 40, "Đức": 9, "Hữu": 7, "Minh": 6, "Quang": 5, "Xuân": 4, "Mạnh": 3, "Ngọc": 3,
        "Thanh": 3, "Đình": 4, "Công": 3, "Trọng": 3, "Tiến": 2, "Việt": 2, "Quốc": 2, "Anh": 2,
        "Hồng": 1, "Kim": 1,
    },
    ("M", "younger"): {
        "Văn": 12, "Đức": 10, "Minh": 12, "Quang": 6, "Gia": 6, "Hoàng": 5, "Bảo": 5, "Quốc": 5,
        "Anh": 5, "Duy": 5, "Tuấn": 4, "Thành": 4, "Hữu": 4, "Việt": 4, "Tiến": 3, "Trọng": 3,
        "Đăng": 3, "Nhật": 3, "Thanh": 3,
    },
    ("F", "older"): {
        "Thị": 60, "Thu": 5, "Ngọc": 4, "Thanh": 4, "Hồng": 3, "Kim": 3, "Bích": 2, "Minh": 3,
        "Thúy": 2, "Phương": 2, "Mai": 2, "Thị Thu": 3, "Thị Thanh": 3, "Thị Minh": 2,
        "Thị Ngọc": 2,
    },
    ("F", "younger"): {
        "Thị": 20, "Thu": 7, "Ngọc": 8, "Phương": 6, "Khánh": 6, "Bảo": 5, "Minh": 7, "Thùy": 5,
        "Hà": 3, "Mai": 4, "Diệu": 3, "Quỳnh": 3, "Gia": 4, "Thanh": 5, "Hoài": 3, "Hải": 3,
        "Lan": 2, "Thảo": 2, "Thị Thu": 2,
    },
}  # fmt: skip
YOUNGER_FROM = 1990  # birth year from which the "younger" middle names apply

GIVEN_NAMES = {
    "M": (
        "Anh", "Bảo", "Bình", "Cường", "Công", "Chiến", "Dũng", "Duy", "Dương", "Đạt", "Đức", "Định",
        "Giang", "Hải", "Hào", "Hiếu", "Hiệp", "Hoàng", "Hòa", "Hùng", "Huy", "Hưng", "Khang",
        "Khánh", "Khoa", "Kiên", "Lâm", "Long", "Lộc", "Lợi", "Mạnh", "Minh", "Nam", "Nghĩa",
        "Ngọc", "Nhật", "Phát", "Phong", "Phúc", "Quang", "Quân", "Quý", "Sơn", "Tài", "Tâm",
        "Thắng", "Thành", "Thái", "Thiện", "Thịnh", "Toàn", "Trung", "Trường", "Tuấn", "Tùng",
        "Tú", "Việt", "Vinh", "Vũ", "Phương",
    ),
    "F": (
        "Anh", "Ánh", "Bích", "Châu", "Chi", "Diệp", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng",
        "Hiền", "Hoa", "Hồng", "Huệ", "Huyền", "Hương", "Hường", "Khánh", "Lan", "Liên", "Linh",
        "Loan", "Ly", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Nhi", "Nhàn", "Oanh", "Phương",
        "Phượng", "Quyên", "Quỳnh", "Tâm", "Thảo", "Thơm", "Thu", "Thủy", "Thúy", "Thư", "Trang",
        "Trâm", "Tuyết", "Uyên", "Vân", "Vy", "Xuân", "Yến", "Hòa", "Lụa", "Lệ", "Minh", "Hậu",
        "Hoài", "Tú",
    ),
}  # fmt: skip

# --- Ages, ID numbers, phones ----------------------------------------------------------------

# Share of the population by five-year age band (Vietnam, ~2022); the last, 90–94, stands for 90+.
AGE_BANDS = (7.9, 8.6, 7.7, 6.8, 7.0, 8.0, 8.3, 8.0, 7.3, 6.6, 6.0, 5.3, 4.4, 3.2, 2.0, 1.2, 0.9, 0.5, 0.3)

NO_BIRTH_DATE = 0.25
NO_NATIONAL_ID = 0.15
PREGNANT = 0.03  # among women aged 18–45
PREGNANT_AGES = range(18, 46)

# CCCD digits 1–3: the province of birth registration. Most Hà Nội residents were born there,
# many in the surrounding provinces; the rest anywhere (shared equally among the other codes).
BIRTH_PROVINCE_HANOI = 70.0
BIRTH_PROVINCES_NEARBY = {
    "036": 1.5, "034": 1.5, "035": 1.5, "030": 1.5, "033": 1.5, "038": 1.5, "040": 1.5, "037": 1.5,
    "027": 1.5, "024": 1.5, "025": 1.5, "026": 1.5, "017": 1.5, "031": 1.5, "042": 1.5,
}  # fmt: skip
BIRTH_PROVINCES_ELSEWHERE = 7.5

# Mobile prefixes by network, weighted roughly by market share.
PHONE_PREFIXES = {
    **dict.fromkeys(("032", "033", "034", "035", "036", "037", "038", "039"), 4.2),  # Viettel
    **dict.fromkeys(("086", "096", "097", "098"), 4.2),  # Viettel
    **dict.fromkeys(("081", "082", "083", "084", "085", "088", "091", "094"), 3.1),  # VinaPhone
    **dict.fromkeys(("070", "076", "077", "078", "079", "089", "090", "093"), 2.5),  # MobiFone
    **dict.fromkeys(("056", "058", "092"), 1.0),  # Vietnamobile
    **dict.fromkeys(("059", "099"), 0.5),  # Gmobile
}

# --- Addresses -------------------------------------------------------------------------------

# Real streets of each urban district (quận, and thị xã Sơn Tây), for addresses in its phường.
STREETS = {
    "001": ("Đội Cấn", "Kim Mã", "Liễu Giai", "Hoàng Hoa Thám", "Giảng Võ", "Nguyễn Thái Học"),
    "002": ("Hàng Bạc", "Hàng Gai", "Hàng Bông", "Tràng Tiền", "Lý Thường Kiệt", "Hàng Đào"),
    "003": ("Lạc Long Quân", "Âu Cơ", "Xuân Diệu", "Thụy Khuê", "Tô Ngọc Vân"),
    "004": ("Nguyễn Văn Cừ", "Ngọc Lâm", "Nguyễn Sơn", "Ngọc Thụy", "Nguyễn Văn Linh"),
    "005": ("Cầu Giấy", "Xuân Thủy", "Trần Duy Hưng", "Nguyễn Khang", "Hoàng Quốc Việt", "Trần Thái Tông"),
    "006": ("Tôn Đức Thắng", "Xã Đàn", "Nguyễn Lương Bằng", "Thái Hà", "Láng", "Khâm Thiên", "Tây Sơn"),
    "007": ("Bạch Mai", "Minh Khai", "Lò Đúc", "Phố Huế", "Đại La", "Bà Triệu"),
    "008": ("Giải Phóng", "Tam Trinh", "Lĩnh Nam", "Trương Định", "Định Công"),
    "009": ("Nguyễn Trãi", "Khương Đình", "Vũ Trọng Phụng", "Kim Giang", "Nguyễn Tuân"),
    "019": ("Mễ Trì", "Lê Đức Thọ", "Hồ Tùng Mậu", "Mỹ Đình", "Đại Mỗ"),
    "021": ("Phạm Văn Đồng", "Cổ Nhuế", "Đông Ngạc", "Thụy Phương", "Phú Diễn"),
    "268": ("Quang Trung", "Tô Hiệu", "Vạn Phúc", "Lê Trọng Tấn", "Văn Quán"),
    "269": ("Lê Lợi", "Phó Đức Chính", "Chùa Thông", "Phùng Khắc Khoan"),
}
VILLAGES = (
    "Đông", "Đoài", "Thượng", "Hạ", "Trung", "Nam", "Bắc", "Chùa", "Đình", "Cầu", "Đồng", "Bãi",
    "An Thái", "Phú Mỹ", "Yên Nội", "Tiên Lữ", "Cổ Hiền", "Đại Đồng", "Kim Lũ", "Thụy Lôi",
    "Văn Giáp", "Phú Hữu", "Tân Lập", "Hòa Bình", "Lương Xá",
)  # fmt: skip

# --- The Omicron wave ------------------------------------------------------------------------

# Confirmed cases per day in Hà Nội, approximately; log-linear between these points, flat beyond.
WAVE = (
    (date(2022, 1, 1), 300),
    (date(2022, 1, 31), 1_500),  # slow rise through January; Tết on 1 February
    (date(2022, 2, 14), 5_000),
    (date(2022, 2, 28), 18_000),  # steep rise through February
    (date(2022, 3, 8), 30_000),  # peak in early–mid March
    (date(2022, 3, 14), 30_000),
    (date(2022, 3, 31), 20_000),  # decline under way
)
DAILY_NOISE = 0.15  # day-to-day reporting noise, as a fraction either way

# --- Case lists --------------------------------------------------------------------------------

CASE_COLUMNS = (
    "STT", "Họ và tên", "Ngày sinh", "Giới tính", "CCCD/CMND", "Số điện thoại", "Địa chỉ",
    "Phường/Xã", "Quận/Huyện", "Ngày lấy mẫu", "Ngày có kết quả", "Loại xét nghiệm",
)  # fmt: skip
COLUMN_WIDTHS = (6, 24, 12, 9, 15, 13, 32, 22, 20, 13, 15, 14)
RT_PCR = 0.35  # share of RT-PCR among the positive results; the rest are rapid tests
MESSY_ROWS = 0.03
PROBLEMS = (
    "no_diacritics",  # ward name typed without diacritics
    "abbreviated",  # "P. Phúc Xá", "Q. Ba Đình"
    "extra_spaces",  # in the name and the ward
    "wrong_district",  # correct ward, another district
    "short_id",  # a 10-digit CCCD
    "bad_phone",  # 9 digits, or an old 11-digit number
    "unknown_ward",  # a ward from another province
    "empty_row",
    "serial_dates",  # sampling and result dates as bare Excel serial numbers
    "short_dates",  # sampling and result dates as "d/m/yy" text
)
ABBREVIATIONS = {
    "Phường ": "P. ", "Xã ": "X. ", "Thị trấn ": "TT. ", "Quận ": "Q. ", "Huyện ": "H. ", "Thị xã ": "TX. ",
}  # fmt: skip
EXCEL_EPOCH = date(1899, 12, 30)


# --- The city --------------------------------------------------------------------------------

# Every random pick indexes a lookup table of 2**bits entries with getrandbits(bits): the
# cheapest draw Python has, which matters at a million people.
TABLE_BITS = 12
WARD_TABLE_BITS = 17  # the smallest ward (2,705 people) still gets some 40 entries


@dataclass(frozen=True, slots=True)
class _Ward:
    code: str
    name: str
    division_type: str  # "phường", "thị trấn" or "xã"
    district_code: str
    district_name: str
    streets: tuple[str, ...]  # lookup table of the district's streets; empty outside STREETS


@dataclass(frozen=True, slots=True)
class _City:
    """Hà Nội's wards and every lookup table `people()` draws from."""

    wards: tuple[_Ward, ...]
    foreign_ward_names: tuple[str, ...]  # ward names found in other provinces but not in Hà Nội
    ward_by_population: tuple[_Ward, ...]
    surnames: tuple[str, ...]
    middle_names: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]  # sex -> (older, younger)
    given_names: dict[str, tuple[str, ...]]
    ages: tuple[int, ...]
    birth_provinces: tuple[int, ...]
    phone_prefixes: tuple[int, ...]  # "098" as 980_000_000, so that f"0{prefix + 7 digits}" is the number
    house_numbers: tuple[int, ...]  # 1–300, small ones more often
    villages: tuple[str, ...]


def _lookup_table(weights: Mapping[T, float], bits: int = TABLE_BITS) -> tuple[T, ...]:
    """2**bits keys, each repeated in proportion to its weight, so that `table[getrandbits(bits)]` draws by weight."""
    keys = list(weights)
    bounds = list(itertools.accumulate(weights.values()))
    step = bounds[-1] / (1 << bits)
    return tuple(keys[bisect.bisect(bounds, (i + 0.5) * step)] for i in range(1 << bits))


def _uniform_table(items: Iterable[T]) -> tuple[T, ...]:
    return _lookup_table(dict.fromkeys(items, 1))


@functools.cache
def _city() -> _City:
    with (DATA_DIR / "admin_units.csv").open(encoding="utf-8", newline="") as f:
        units = list(csv.DictReader(f))
    with (DATA_DIR / "demo_population_hanoi.csv").open(encoding="utf-8", newline="") as f:
        population = {row["ward_code"]: int(row["population"]) for row in csv.DictReader(f)}

    districts = {u["code"]: u for u in units if u["level"] == "district" and u["parent_code"] == HANOI}
    # Only phường addresses name a street, and every district with phường has a STREETS entry.
    streets = {code: _uniform_table(names) for code, names in STREETS.items()}
    wards = tuple(
        _Ward(
            code=u["code"],
            name=u["name"],
            division_type=u["division_type"],
            district_code=u["parent_code"],
            district_name=districts[u["parent_code"]]["name"],
            streets=streets.get(u["parent_code"], ()),
        )
        for u in units
        if u["level"] == "ward" and u["parent_code"] in districts
    )
    hanoi_names = {w.name for w in wards}

    provinces = [int(u["code"]) for u in units if u["level"] == "province"]
    elsewhere = [code for code in provinces if code != int(HANOI) and f"{code:03d}" not in BIRTH_PROVINCES_NEARBY]
    birth_provinces = {
        int(HANOI): BIRTH_PROVINCE_HANOI,
        **{int(code): weight for code, weight in BIRTH_PROVINCES_NEARBY.items()},
        **dict.fromkeys(elsewhere, BIRTH_PROVINCES_ELSEWHERE / len(elsewhere)),
    }
    return _City(
        wards=wards,
        foreign_ward_names=tuple(
            sorted({u["name"] for u in units if u["level"] == "ward" and u["name"] not in hanoi_names})
        ),
        ward_by_population=_lookup_table({w: population[w.code] for w in wards}, WARD_TABLE_BITS),
        surnames=_lookup_table(SURNAMES),
        middle_names={
            sex: (_lookup_table(MIDDLE_NAMES[sex, "older"]), _lookup_table(MIDDLE_NAMES[sex, "younger"]))
            for sex in ("M", "F")
        },
        given_names={sex: _uniform_table(names) for sex, names in GIVEN_NAMES.items()},
        ages=_lookup_table({age: AGE_BANDS[age // 5] for age in range(5 * len(AGE_BANDS))}),
        birth_provinces=_lookup_table(birth_provinces),
        phone_prefixes=_lookup_table({int(prefix) * 10_000_000: w for prefix, w in PHONE_PREFIXES.items()}),
        house_numbers=_lookup_table({n: 1 / math.sqrt(n) for n in range(1, 301)}),
        villages=_uniform_table(VILLAGES),
    )


def _address(ward: _Ward, city: _City, rand: Callable[[], float], pick: Callable[[int], int]) -> str:
    """A house address below ward level, the way residents write it."""
    r = rand()
    house = city.house_numbers[pick(TABLE_BITS)]
    if ward.division_type == "xã":
        village = city.villages[pick(TABLE_BITS)]
        if r < 0.55:
            return f"Thôn {village}"
        if r < 0.8:
            return f"Xóm {house % 12 + 1}, thôn {village}"
        return f"Xóm {village}"
    if ward.division_type == "thị trấn":
        return f"Số {house}, tổ dân phố {house % 15 + 1}" if r < 0.5 else f"Tổ dân phố {house % 15 + 1}"
    street = ward.streets[pick(TABLE_BITS)]
    if r < 0.35:
        return f"Số {house} {street}"
    if r < 0.65:
        return f"Số {house} ngõ {city.house_numbers[pick(TABLE_BITS)]} {street}"
    if r < 0.8:
        return f"Số {house} ngách {house % 60 + 1} ngõ {city.house_numbers[pick(TABLE_BITS)]} {street}"
    if r < 0.9:
        return f"{house} {street}"
    return f"Tổ {house % 40 + 1}"


def people(*, count: int, seed: int = 2022) -> Iterator[SyntheticPerson]:
    """Yield `count` residents of Hà Nội; the same seed always yields the same people.

    Ages follow Vietnam's age pyramid (as of AGE_REFERENCE_DATE), wards are drawn in
    proportion to the demo ward populations, and the CCCD numbers never repeat within a run.
    """
    city = _city()
    rnd = random.Random(seed)
    rand, pick, bits = rnd.random, rnd.getrandbits, TABLE_BITS
    surnames, middle_names, given_names = city.surnames, city.middle_names, city.given_names
    ages, birth_provinces, phone_prefixes = city.ages, city.birth_provinces, city.phone_prefixes
    wards = city.ward_by_population
    reference_day = AGE_REFERENCE_DATE.toordinal()
    from_ordinal = date.fromordinal
    new_person = object.__new__
    issued_ids: set[int] = set()

    for _ in range(count):
        sex = "M" if rand() < 0.5 else "F"
        age = ages[pick(bits)]
        birth_date = from_ordinal(reference_day - int((age + rand()) * 365.2425))
        birth_year = birth_date.year
        middle = middle_names[sex][birth_year >= YOUNGER_FROM][pick(bits)]
        full_name = f"{surnames[pick(bits)]} {middle} {given_names[sex][pick(bits)]}"

        national_id = None
        if rand() >= NO_NATIONAL_ID:
            # Digits: province (3), century and sex (1), year of birth (2), then 6 random ones.
            century_sex = 2 * (birth_year >= 2000) + (sex == "F")
            prefix = birth_provinces[pick(bits)] * 1000 + century_sex * 100 + birth_year % 100
            number = prefix * 1_000_000 + int(rand() * 1_000_000)
            while number in issued_ids:
                number = prefix * 1_000_000 + int(rand() * 1_000_000)
            issued_ids.add(number)
            national_id = f"{number:012d}"

        ward = wards[pick(WARD_TABLE_BITS)]
        # Filling the instance dict directly skips the frozen __init__'s setattr call per field,
        # which would take about a third of the loop's time.
        person = new_person(SyntheticPerson)
        person.__dict__.update(
            full_name=full_name,
            birth_date=None if rand() < NO_BIRTH_DATE else birth_date,
            birth_year=birth_year,
            sex=sex,
            national_id=national_id,
            phone=f"0{phone_prefixes[pick(bits)] + int(rand() * 10_000_000)}",
            address=_address(ward, city, rand, pick),
            ward_code=ward.code,
            district_code=ward.district_code,
            ward_name=ward.name,
            district_name=ward.district_name,
            pregnant=sex == "F" and age in PREGNANT_AGES and rand() < PREGNANT,
        )
        yield person


def _cases_per_day(day: date) -> float:
    """The wave's daily case count on `day`, interpolated log-linearly between the WAVE points."""
    if day <= WAVE[0][0]:
        return WAVE[0][1]
    if day >= WAVE[-1][0]:
        return WAVE[-1][1]
    i = bisect.bisect_right([point for point, _ in WAVE], day)
    (day0, cases0), (day1, cases1) = WAVE[i - 1], WAVE[i]
    fraction = (day - day0).days / (day1 - day0).days
    return math.exp(math.log(cases0) + fraction * (math.log(cases1) - math.log(cases0)))


def case_dates(
    *, count: int, seed: int = 2022, start: date = date(2022, 1, 1), end: date = date(2022, 3, 31)
) -> list[date]:
    """`count` confirmation dates between `start` and `end` (inclusive), sorted, drawn from the wave's curve."""
    rnd = random.Random(seed)
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    weights = [_cases_per_day(day) * (1 + DAILY_NOISE * (2 * rnd.random() - 1)) for day in days]
    return sorted(rnd.choices(days, weights=weights, k=count))


def _case_rows(*, rows: int, seed: int, messy: bool) -> Iterator[dict[str, object]]:
    """The case list's data rows, as column title -> value (str, int or date; absent when blank)."""
    city = _city()
    rnd = random.Random(f"case-rows:{seed}")
    # Mistakes draw from their own stream, so that the other rows of a messy list match a clean one.
    mistakes = random.Random(f"mistakes:{seed}")
    districts = sorted({w.district_name for w in city.wards})
    confirmed = case_dates(count=rows, seed=seed)
    for number, (person, result_day) in enumerate(zip(people(count=rows, seed=seed), confirmed, strict=True), 1):
        birth = person.birth_date
        row: dict[str, object] = {
            "STT": number,
            "Họ và tên": person.full_name,
            "Ngày sinh": f"{birth.day:02d}/{birth.month:02d}/{birth.year}" if birth else person.birth_year,
            "Giới tính": "Nam" if person.sex == "M" else "Nữ",
            "CCCD/CMND": person.national_id or "",
            "Số điện thoại": person.phone,
            "Địa chỉ": person.address,
            "Phường/Xã": person.ward_name,
            "Quận/Huyện": person.district_name,
            "Ngày lấy mẫu": result_day - timedelta(days=int(rnd.random() < 0.4)),
            "Ngày có kết quả": result_day,
            "Loại xét nghiệm": "RT-PCR" if rnd.random() < RT_PCR else "Test nhanh",
        }
        if messy and mistakes.random() < MESSY_ROWS:
            row = _spoil(row, problem=mistakes.choice(PROBLEMS), rnd=mistakes, city=city, districts=districts)
        yield row


def _spoil(
    row: dict[str, object], *, problem: str, rnd: random.Random, city: _City, districts: list[str]
) -> dict[str, object]:
    """The row with one of the mistakes found in real case lists."""
    name, phone, ward, district = row["Họ và tên"], row["Số điện thoại"], row["Phường/Xã"], row["Quận/Huyện"]
    sampled, result = row["Ngày lấy mẫu"], row["Ngày có kết quả"]
    assert isinstance(name, str) and isinstance(phone, str) and isinstance(ward, str) and isinstance(district, str)
    assert isinstance(sampled, date) and isinstance(result, date)
    match problem:
        case "no_diacritics":
            return row | {"Phường/Xã": _strip_diacritics(ward)}
        case "abbreviated":
            return row | {"Phường/Xã": _abbreviate(ward), "Quận/Huyện": _abbreviate(district)}
        case "extra_spaces":
            return row | {"Họ và tên": f" {name.replace(' ', '  ', 1)} ", "Phường/Xã": f"{ward} "}
        case "wrong_district":
            return row | {"Quận/Huyện": rnd.choice([d for d in districts if d != district])}
        case "short_id":
            return row | {"CCCD/CMND": f"{rnd.randrange(10**10):010d}"}
        case "bad_phone":
            bad = phone[:-1] if rnd.random() < 0.5 else f"016{rnd.randrange(10**8):08d}"
            return row | {"Số điện thoại": bad}
        case "unknown_ward":
            return row | {"Phường/Xã": rnd.choice(city.foreign_ward_names)}
        case "empty_row":
            return {}
        case "serial_dates":
            return row | {"Ngày lấy mẫu": (sampled - EXCEL_EPOCH).days, "Ngày có kết quả": (result - EXCEL_EPOCH).days}
        case "short_dates":
            return row | {
                "Ngày lấy mẫu": f"{sampled.day}/{sampled.month}/{sampled.year % 100:02d}",
                "Ngày có kết quả": f"{result.day}/{result.month}/{result.year % 100:02d}",
            }
    raise ValueError(f"unknown problem {problem!r}")


def _strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _abbreviate(name: str) -> str:
    for prefix, short in ABBREVIATIONS.items():
        if name.startswith(prefix):
            return short + name[len(prefix) :]
    return name


def write_case_xlsx(path: Path, *, rows: int, seed: int = 2022, messy: bool = False) -> None:
    """Write a test site's list of positive results: a header row, then `rows` cases.

    Dates of birth are text (dd/mm/yyyy) or a bare year; ID and phone numbers are text, so
    their leading zeros stay; sampling and result dates are real date cells. With `messy`,
    about MESSY_ROWS of the rows carry one of PROBLEMS.
    """
    import xlsxwriter  # only this writer needs a third-party package

    with xlsxwriter.Workbook(str(path), {"constant_memory": True}) as workbook:
        sheet = workbook.add_worksheet("Danh sách F0")
        bold = workbook.add_format({"bold": True})
        date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
        for col, (title, width) in enumerate(zip(CASE_COLUMNS, COLUMN_WIDTHS, strict=True)):
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, title, bold)
        for r, row in enumerate(_case_rows(rows=rows, seed=seed, messy=messy), 1):
            for col, title in enumerate(CASE_COLUMNS):
                value = row.get(title)
                if isinstance(value, str):
                    if value:
                        sheet.write_string(r, col, value)
                elif isinstance(value, date):
                    sheet.write_datetime(r, col, value, date_format)
                elif isinstance(value, int):
                    sheet.write_number(r, col, value)


def write_case_csv(path: Path, *, rows: int, seed: int = 2022, messy: bool = False) -> None:
    """The same list as `write_case_xlsx`, as comma-separated UTF-8 with a BOM; dates as dd/mm/yyyy."""

    def text(value: object) -> str:
        if isinstance(value, date):
            return f"{value.day:02d}/{value.month:02d}/{value.year}"
        return "" if value is None else str(value)

    with Path(path).open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(CASE_COLUMNS)
        for row in _case_rows(rows=rows, seed=seed, messy=messy):
            writer.writerow([text(row.get(title)) for title in CASE_COLUMNS])


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic Hà Nội case list as a test site would send it.")
    parser.add_argument("format", choices=("xlsx", "csv"))
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument(
        "--messy", action="store_true", help=f"put a mistake in about {MESSY_ROWS * 100:.0f}%% of the rows"
    )
    args = parser.parse_args()
    write = write_case_xlsx if args.format == "xlsx" else write_case_csv
    started = time.perf_counter()
    write(args.out, rows=args.rows, seed=args.seed, messy=args.messy)
    print(f"wrote {args.rows:,} rows to {args.out} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
