"""Generate Vietnam's 2021–2022 administrative units CSV and synthetic Hà Nội ward populations.

Outputs (committed, read by the app at run time):
  phongdich/areas/data/admin_units.csv
      code,level,name,division_type,parent_code,lat,lon
      63 provinces, 705 districts and 10,598 wards (GSO codes with leading zeros),
      with centroids where the unit's code is known to vietnamadminunits.
  phongdich/areas/data/demo_population_hanoi.csv
      ward_code,population
      SYNTHETIC demo values for Hà Nội's 579 wards (fixed seed), summing to
      8,053,663, the 2019 census total. They are not real ward populations.

Data sources, used only here as dev tools and never imported by the app:
  vietnam-provinces==0.5.0 (GPL-3.0-or-later): names, codes and types (GSO list of 2023-05-07).
  vietnamadminunits==1.0.4 (MIT): centroids from its table admin_units_legacy. That table
      is of early 2025, after the 2024–25 ward mergers, so merged-away wards get no
      centroid, and a kept code whose ward absorbed others gets the merged ward's centroid.

Run from the repository root, in a throwaway venv:
  python3.11 -m venv /tmp/genvenv
  /tmp/genvenv/bin/pip install vietnam-provinces==0.5.0 vietnamadminunits==1.0.4
  /tmp/genvenv/bin/python scripts/generate_areas.py
"""

from __future__ import annotations

import csv
import math
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from vietnam_provinces.enums.districts import DistrictEnum, ProvinceEnum
from vietnam_provinces.enums.wards import WardEnum
from vietnamadminunits.database import query

DATA_DIR = Path(__file__).resolve().parents[1] / "phongdich" / "areas" / "data"
LEVELS = ("province", "district", "ward")
CODE_WIDTH = {"province": 2, "district": 3, "ward": 5}
# vietnam-provinces 0.5.0 ships 10,598 wards (not the 10,599 sometimes quoted for 2022).
EXPECTED_COUNTS = {"province": 63, "district": 705, "ward": 10_598}

HANOI = "01"
HANOI_POPULATION_2019 = 8_053_663
POPULATION_SEED = 2019
# Mean population per ward type before scaling to the census total: phường are larger.
BASE_POPULATION = {"phường": 18_000, "thị trấn": 12_000, "xã": 9_000}
SPREAD = 0.45  # sigma of the lognormal noise around each base value


class Unit(NamedTuple):
    code: str
    level: str
    name: str
    division_type: str
    parent_code: str
    lat: str
    lon: str


def padded(level: str, code: int) -> str:
    return f"{code:0{CODE_WIDTH[level]}d}"


_TYPE_PREFIX = re.compile(r"^(thanh pho|thi xa|thi tran|tinh|quan|huyen|phuong|xa)\s+")


def base_name(name: str) -> str:
    """ "Phường Phúc Xá" -> "phuc xa": no type word, no diacritics, so that accent styles compare equal."""
    decomposed = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    folded = "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower().strip()
    return _TYPE_PREFIX.sub("", folded)


def centroids(level: str) -> dict[str, tuple[str, float, float]]:
    """Code -> (base name, lat, lon) for one level of vietnamadminunits' admin_units_legacy table."""
    rows = query(
        f"SELECT DISTINCT {level}Code AS code, {level} AS name, {level}Lat AS lat, {level}Lon AS lon "
        f"FROM admin_units_legacy WHERE {level}Code IS NOT NULL AND {level}Lat IS NOT NULL"
    )
    return {row["code"]: (base_name(row["name"]), row["lat"], row["lon"]) for row in rows}


def load_units() -> list[Unit]:
    sources = {
        "province": ((p.value, "") for p in ProvinceEnum),
        "district": ((d.value, padded("province", d.value.province_code)) for d in DistrictEnum),
        # WardEnum is a FastEnum: iterable at run time, though not typed so.
        "ward": (
            (w.value, padded("district", w.value.district_code))
            for w in WardEnum  # type: ignore[attr-defined]
        ),
    }
    units: list[Unit] = []
    for level in LEVELS:
        points = centroids(level)
        for item, parent_code in sources[level]:
            code = padded(level, item.code)
            # A merged-away unit's code often lives on under its successor's name (and centre):
            # only a unit that still exists under its own name gets a point.
            point = points.get(code)
            same_unit = point is not None and point[0] == base_name(item.name)
            lat, lon = (f"{v:.6f}" for v in point[1:]) if point and same_unit else ("", "")
            units.append(
                Unit(
                    code=code,
                    level=level,
                    name=unicodedata.normalize("NFC", item.name),
                    division_type=unicodedata.normalize("NFC", item.division_type.value).lower(),
                    parent_code=parent_code,
                    lat=lat,
                    lon=lon,
                )
            )
    units.sort(key=lambda u: (LEVELS.index(u.level), u.code))
    return units


def check_units(units: list[Unit]) -> list[Unit]:
    """Assert the expected counts; return Hà Nội's wards."""
    counts = Counter(u.level for u in units)
    assert counts == EXPECTED_COUNTS, counts
    assert len({(u.level, u.code) for u in units}) == len(units), "duplicate code within a level"
    hanoi_districts = {u.code for u in units if u.level == "district" and u.parent_code == HANOI}
    hanoi_wards = [u for u in units if u.level == "ward" and u.parent_code in hanoi_districts]
    assert (len(hanoi_districts), len(hanoi_wards)) == (30, 579)
    for level in LEVELS:
        located = sum(1 for u in units if u.level == level and u.lat)
        print(f"{level}: {counts[level]} units, {located} with a centroid")
    located = sum(1 for u in hanoi_wards if u.lat)
    print(f"Hà Nội: {len(hanoi_districts)} districts, {len(hanoi_wards)} wards, {located} with a centroid")
    return hanoi_wards


def demo_populations(wards: list[Unit]) -> dict[str, int]:
    """Synthetic populations: lognormal around a per-type base, scaled to the census total."""
    rng = random.Random(POPULATION_SEED)
    weights = [BASE_POPULATION[w.division_type] * rng.lognormvariate(0, SPREAD) for w in wards]
    total = sum(weights)
    shares = [HANOI_POPULATION_2019 * wt / total for wt in weights]
    populations = [math.floor(s) for s in shares]
    # Largest remainder: hand the units lost to rounding down to the largest fractions.
    by_fraction = sorted(range(len(wards)), key=lambda i: shares[i] - populations[i], reverse=True)
    for i in by_fraction[: HANOI_POPULATION_2019 - sum(populations)]:
        populations[i] += 1
    assert sum(populations) == HANOI_POPULATION_2019 and min(populations) >= 1
    return {w.code: p for w, p in zip(wards, populations, strict=True)}


def write_csv(path: Path, header: tuple[str, ...], rows: Sequence[Sequence[str | int]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"wrote {path} ({len(rows)} rows, {path.stat().st_size:,} bytes)")


def main() -> None:
    units = load_units()
    hanoi_wards = check_units(units)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    write_csv(DATA_DIR / "admin_units.csv", Unit._fields, units)
    populations = list(demo_populations(hanoi_wards).items())
    write_csv(DATA_DIR / "demo_population_hanoi.csv", ("ward_code", "population"), populations)


if __name__ == "__main__":
    main()
