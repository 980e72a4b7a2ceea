"""Generate a reproducible vaccination-site dose list for Hà Nội residents of `synthetic.people()`.

The residents are those of `bench.synthetic.people(seed=…)`, so a dose list and a case list written with the
same seed name the same people: importing both exercises identity matching. Each resident gets a primary
course on the schedule of their vaccine (rules.md §9) and, from 2022, often a booster; children get the
vaccine of their age. Standard library plus xlsxwriter, like synthetic.py.

    python bench/synthetic_doses.py OUT.xlsx --rows 100000 [--seed N]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from bench.synthetic import people

DOSE_COLUMNS = ("STT", "Họ và tên", "Ngày sinh", "Giới tính", "CCCD", "SĐT", "Địa chỉ", "Phường/Xã", "Quận/Huyện",
                "Ngày tiêm", "Tên vắc xin", "Số lô", "Mũi thứ", "Điểm tiêm")  # fmt: skip
COLUMN_WIDTHS = (6, 24, 12, 8, 15, 12, 30, 22, 18, 12, 14, 10, 12, 28)
# Adults' vaccine, its share, and the days from dose 1 to dose 2 (shortest, longest).
ADULT_VACCINES = (("AstraZeneca", 0.40, 56, 84), ("Vero Cell", 0.30, 21, 28), ("Pfizer", 0.20, 21, 28),
                  ("Moderna", 0.10, 28, 35))  # fmt: skip
BOOSTED = 0.6  # adults with a booster dose in 2022
FIRST_DOSE_FROM, FIRST_DOSE_DAYS = date(2021, 7, 15), 110  # adults' first doses: mid July to early November 2021
TEEN_FROM, CHILD_FROM = date(2021, 11, 1), date(2022, 4, 15)


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _dose_rows(*, rows: int, seed: int) -> Iterator[dict[str, object]]:
    """Data rows (column title → value), `rows` of them, a resident's doses one after the other."""
    rnd = random.Random(f"dose-rows:{seed}")
    written = 0
    for person in people(count=rows, seed=seed):
        birth = person.birth_date or date(person.birth_year, 7, 1)
        child_day, teen_day = (
            CHILD_FROM + timedelta(days=rnd.randrange(45)),
            TEEN_FROM + timedelta(days=rnd.randrange(40)),
        )
        if _age(birth, child_day) < 5:
            continue
        if _age(birth, child_day + timedelta(days=28)) < 12:
            vaccine, first, gap, doses = "Pfizer (5-11)", child_day, 28, 2
        elif _age(birth, FIRST_DOSE_FROM) < 18:
            vaccine, first, gap, doses = "Pfizer", teen_day, 21, 2
        else:
            r, vaccine, gap = rnd.random(), "", 0
            for name, share, shortest, longest in ADULT_VACCINES:
                vaccine, gap = name, rnd.randint(shortest, longest)
                if r < share:
                    break
                r -= share
            first = FIRST_DOSE_FROM + timedelta(days=rnd.randrange(FIRST_DOSE_DAYS))
            doses = 3 if rnd.random() < BOOSTED else 2
        days = [first, first + timedelta(days=gap)]
        if doses == 3:
            days.append(max(days[1] + timedelta(days=100 + rnd.randrange(60)), date(2022, 1, 5)))
        person_cells = {
            "Họ và tên": person.full_name,
            "Ngày sinh": f"{birth.day:02d}/{birth.month:02d}/{birth.year}" if person.birth_date else person.birth_year,
            "Giới tính": "Nam" if person.sex == "M" else "Nữ",
            "CCCD": person.national_id or "",
            "SĐT": person.phone,
            "Địa chỉ": person.address,
            "Phường/Xã": person.ward_name,
            "Quận/Huyện": person.district_name,
            "Điểm tiêm": f"Trạm y tế {person.ward_name.lower()}",
        }
        for number, day in enumerate(days, 1):
            written += 1
            booster = number == 3
            yield person_cells | {
                "STT": written,
                "Ngày tiêm": day,
                "Tên vắc xin": "Pfizer" if booster else vaccine,
                "Số lô": f"{'PF' if booster else vaccine[:2].upper()}{rnd.randrange(1000, 9999)}",
                "Mũi thứ": str(number),  # the third is an additional or a booster dose by vaccine and date
            }
            if written == rows:
                return


def write_dose_xlsx(path: Path, rows: int, seed: int = 2022) -> None:
    """Write a vaccination-site dose list of `rows` rows: names and IDs as text, dose dates as date cells."""
    import xlsxwriter

    with xlsxwriter.Workbook(str(path), {"constant_memory": True}) as workbook:
        sheet = workbook.add_worksheet("Danh sách tiêm")
        bold = workbook.add_format({"bold": True})
        date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
        for col, (title, width) in enumerate(zip(DOSE_COLUMNS, COLUMN_WIDTHS, strict=True)):
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, title, bold)
        for r, row in enumerate(_dose_rows(rows=rows, seed=seed), 1):
            for col, title in enumerate(DOSE_COLUMNS):
                value = row.get(title)
                if isinstance(value, str):
                    if value:
                        sheet.write_string(r, col, value)
                elif isinstance(value, date):
                    sheet.write_datetime(r, col, value, date_format)
                elif isinstance(value, int):
                    sheet.write_number(r, col, value)


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic Hà Nội vaccination-site dose list.")
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2022)
    args = parser.parse_args()
    started = time.perf_counter()
    write_dose_xlsx(args.out, args.rows, args.seed)
    print(f"wrote {args.rows:,} rows to {args.out} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
