"""Vaccination benchmarks (issue #6) on PostgreSQL: importing a dose file, the coverage tables, the due lists.

The synthetic city: 8,000,000 persons over Hà Nội's wards and about 20,000,000 doses (Jul 2021 – Jun 2022) with
each person's summary row (PersonVaccination) and the denominators by ward and age group: a fixture built by SQL,
not measured, whose summaries are checked on a sample against services.person_vaccination_refresh. Then, each
figure beside its ceiling measured in the same run:

- import: a 100,000-row dose xlsx through the real import engine (kind "doses"), end to end, first and again (all
  matched); ceiling: raw COPY of the same rows into a scratch table; then a smaller file under cProfile;
- pages: the city coverage table (districts × age groups; the page has no all-wards variant: a city user picks a
  district), a district's coverage table, the busiest ward's due list and its printable list of people 50+, through
  the Django test client in process (DEBUG off), beside the SQL the same page runs, replayed bare;
- what-ifs for the next step (scratch tables and indexes, dropped after; not the app's code): the due list with a
  deferred join and a covering index, the coverage counts read from rollup tables.

Run with `bash bench/run.sh --suite vaccination` (or `python bench/vaccination.py`); it recreates the database
named in BENCH_VACCINATION_DATABASE_URL. `--reuse-fixture` keeps a fixture built before with the same sizes (the
rows an earlier import added are removed first).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DB_URL = os.environ.get(
    "BENCH_VACCINATION_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/phongdich_bench_vaccination"
)
SECRET = "bench-only-secret-key-not-for-production-0123456789"  # noqa: S105
TARGETS = {"import_rows_per_s": 20_000, "city_coverage_p95_ms": 300, "due_list_p95_ms": 100}
# The fixture's doses lie in Jul 2021 – Jun 2022; its summaries are computed as on this day.
FIXTURE_ON = date(2022, 6, 30)
TARGET_DOSES = 20_000_000
# Age pyramid of bench/synthetic.py (5-year bands, % of residents), for the denominators.
ADULT_DENOMINATOR_CHANGE = date(2021, 10, 28)  # Hà Nội raised its adult denominator mid-campaign (systems.md §A7)


def _setup_django() -> None:
    os.environ["BENCH_DATABASE_URL"] = DB_URL  # bench.bench reads it (and sets DATABASE_URL) on import
    os.environ["DJANGO_DEBUG"] = "0"  # DEBUG would record every query of the in-process pages
    os.environ["DJANGO_SECRET_KEY"] = SECRET
    sys.path.insert(0, str(ROOT))
    import django

    from bench import bench as registry  # noqa: F401  (environment of the in-process measurements)

    django.setup()


# --- fixture ---------------------------------------------------------------------------------------------------


def _age_shares() -> dict[int, float]:
    from bench.synthetic import AGE_BANDS

    total = sum(AGE_BANDS) * 5
    return {age: AGE_BANDS[age // 5] / total for age in range(5 * len(AGE_BANDS))}


AGE_GROUP_RANGES = {"5-11": (5, 11), "12-17": (12, 17), "18-49": (18, 49), "50-64": (50, 64), "65+": (65, 200)}

# One row per person of the plan: group by birth year (adult ≤ 2003, teen 2004–2010, child 2011–2016), primary
# product, first and second dose dates by the product's interval (simplified: no mixing in the primary course).
PLAN_SQL = """
CREATE UNLOGGED TABLE bench_vplan AS
SELECT id AS person_id, ward_id, birth_year, grp, h1, h2, h3, p1, d1,
    d1 + CASE WHEN p1 = 'astrazeneca' THEN 56 + (h3 %% 29)::int WHEN p1 = 'moderna' THEN 28 + (h3 %% 8)::int
              ELSE 21 + (h3 %% 8)::int END AS d2,
    0 AS n, NULL::date AS d3, NULL::date AS d4, ''::varchar(30) AS p3
FROM (
    SELECT p.id, p.ward_id, p.birth_year, x.grp, x.h1, x.h2, x.h3,
        CASE WHEN x.grp = 'child' THEN 'pfizer_5_11' WHEN x.grp = 'teen' THEN 'pfizer'
             WHEN x.h2 %% 100 < 30 THEN 'astrazeneca' WHEN x.h2 %% 100 < 50 THEN 'pfizer'
             WHEN x.h2 %% 100 < 60 THEN 'moderna' ELSE 'vero_cell' END AS p1,
        CASE WHEN x.grp = 'child' THEN date '2022-04-14' + (x.h2 / 100 %% 55)::int
             WHEN x.grp = 'teen' THEN date '2021-10-25' + (x.h2 / 100 %% 60)::int
             ELSE date '2021-07-01' + (x.h2 / 100 %% 107)::int END AS d1
    FROM people_person p,
        LATERAL (SELECT CASE WHEN p.birth_year <= 2003 THEN 'adult' WHEN p.birth_year <= 2010 THEN 'teen'
                             WHEN p.birth_year <= 2016 THEN 'child' END AS grp,
                        abs(hashint8extended(p.id, 61)) AS h1, abs(hashint8extended(p.id, 62)) AS h2,
                        abs(hashint8extended(p.id, 63)) AS h3) x
    WHERE p.ward_id IS NOT NULL AND p.birth_year IS NOT NULL AND x.grp IS NOT NULL
) s
"""

# Doses per person, third and fourth dates. Adults: 0.5 % none, 1 % one, 6 % two, the rest three; people 50+ whose
# booster fell before 23/02/2022 got a fourth (CV 3309, from 23/06/2022, ≥ 4 months after the third).
# Teens: Pfizer, a third 5 months after the second if it fell by 30/06/2022. Children: Pfizer 5–11, two doses.
DOSES_SQL = """
UPDATE bench_vplan SET
    n = CASE
        WHEN grp = 'adult' THEN CASE WHEN h1 %% 1000 < 5 THEN 0 WHEN h1 %% 1000 < 15 THEN 1
                                     WHEN h1 %% 1000 < 75 THEN 2
                                     WHEN h1 %% 1000 >= 1000 - %(four)s AND birth_year <= 1972
                                          AND greatest(d2 + 90, date '2021-12-20') <= date '2022-02-22' THEN 4
                                     ELSE 3 END
        WHEN grp = 'teen' THEN CASE WHEN h1 %% 1000 < 30 THEN 0 WHEN h1 %% 1000 < 60 THEN 1
                                    WHEN h1 %% 1000 < 450 OR d2 + 150 > date '2022-06-30' THEN 2 ELSE 3 END
        ELSE CASE WHEN h1 %% 1000 < 250 THEN 0 WHEN h1 %% 1000 < 450 OR d2 > date '2022-06-30' THEN 1 ELSE 2 END
    END
"""
DOSE34_SQL = """
UPDATE bench_vplan SET
    d3 = CASE WHEN n < 3 THEN NULL
              WHEN grp = 'teen' THEN d2 + 150 + least((h3 / 1000 %% 30)::int, date '2022-06-30' - (d2 + 150))
              WHEN n = 4 THEN greatest(d2 + 90, date '2021-12-20')
                  + least((h3 / 1000 %% 40)::int, date '2022-02-22' - greatest(d2 + 90, date '2021-12-20'))
              ELSE least(greatest(d2 + 90, date '2021-12-20') + (h3 / 1000 %% 60)::int, date '2022-06-30') END,
    d4 = CASE WHEN n = 4 THEN date '2022-06-23' + (h2 / 100000 %% 8)::int END,
    p3 = CASE WHEN n < 3 THEN '' WHEN grp = 'teen' THEN 'pfizer' WHEN h3 / 100 %% 10 < 5 THEN 'pfizer'
              WHEN h3 / 100 %% 10 < 8 THEN 'moderna' ELSE 'astrazeneca' END
"""
INSERT_DOSES_SQL = """
INSERT INTO vaccination_dose (person_id, given_on, product, lot, site, kind, given_by, ward_id, created_at,
    created_by_id, import_job_id)
SELECT person_id, {day}, {product}, upper(substr(md5({product} || {day}::text), 1, 6)),
    'Trạm Y tế phường/xã', {kind}, 'Trạm Y tế', ward_id, {day} + time '16:00', NULL, NULL
FROM bench_vplan WHERE n >= {k} ORDER BY {day}, person_id
"""
DOSE_COLUMNS = {
    1: ("d1", "p1", "'primary_1'"),
    2: ("d2", "p1", "'primary_2'"),
    3: ("d3", "p3", "'booster_1'"),
    4: ("d4", "p3", "'booster_2'"),
}
# The summary, as services.person_vaccination_refresh would leave it on FIXTURE_ON, with simplified rules: primary
# course complete after 2 doses; adults' booster ≥ 3 months after it (10722/3309), a second booster ≥ 4 months after
# the first for people 50+ (3309); teens' booster 5 months after; children two doses of Pfizer 5–11.
SUMMARY_SQL = """
INSERT INTO vaccination_personvaccination (person_id, ward_id, birth_year, doses, first_dose_on, last_dose_on,
    last_product, status, primary_complete_on, next_kind, next_due_on, next_products, next_note, rule_sets,
    priority, homebound, updated_at)
SELECT person_id, ward_id, birth_year, n,
    CASE WHEN n >= 1 THEN d1 END,
    CASE n WHEN 1 THEN d1 WHEN 2 THEN d2 WHEN 3 THEN d3 WHEN 4 THEN d4 END,
    CASE WHEN n >= 3 THEN p3 WHEN n >= 1 THEN p1 ELSE '' END,
    CASE WHEN n = 0 THEN 'unvaccinated' WHEN n = 1 THEN 'partial' WHEN n = 2 THEN 'primary' ELSE 'boosted' END,
    CASE WHEN n >= 2 THEN d2 END,
    nk, due,
    CASE WHEN nk = '' THEN '[]'::jsonb
         WHEN nk = 'primary_1' AND grp = 'adult' THEN '["astrazeneca", "pfizer", "moderna", "vero_cell"]'::jsonb
         WHEN grp = 'child' THEN '["pfizer_5_11"]'::jsonb
         WHEN grp = 'teen' THEN '["pfizer"]'::jsonb
         WHEN nk = 'primary_2' AND p1 = 'astrazeneca' THEN '["astrazeneca", "pfizer", "moderna"]'::jsonb
         WHEN nk = 'primary_2' THEN jsonb_build_array(p1)
         ELSE '["pfizer", "moderna", "astrazeneca"]'::jsonb END,
    CASE WHEN nk = '' THEN 'Đã tiêm đủ theo CV 3309/BYT-DP' ELSE '' END,
    '["vaccination_schedule-3309-2022-06-23"]'::jsonb,
    birth_year <= 1972 OR hb, hb, %(now)s
FROM (
    SELECT *,
        CASE WHEN n = 0 THEN 'primary_1' WHEN n = 1 THEN 'primary_2'
             WHEN n = 2 AND grp <> 'child' THEN 'booster_1'
             WHEN n = 3 AND grp = 'adult' AND birth_year <= 1972 THEN 'booster_2' ELSE '' END AS nk,
        CASE WHEN n = 0 AND grp = 'adult' THEN date '2021-07-01' WHEN n = 0 AND grp = 'teen' THEN date '2021-10-25'
             WHEN n = 0 THEN date '2022-04-14'
             WHEN n = 1 THEN d1 + CASE p1 WHEN 'astrazeneca' THEN 56 WHEN 'moderna' THEN 28 ELSE 21 END
             WHEN n = 2 AND grp = 'adult' THEN d2 + 90 WHEN n = 2 AND grp = 'teen' THEN d2 + 150
             WHEN n = 3 AND grp = 'adult' AND birth_year <= 1972 THEN d3 + 120 END AS due,
        birth_year <= 1957 AND h1 / 1000 %% 100 < 3 AS hb
    FROM bench_vplan
) s
"""


def denominator_rows() -> list[tuple[int, str, int, date, str]]:
    """Each Hà Nội ward's demo population (areas/data/demo_population_hanoi.csv) split by the synthetic age pyramid,
    from 01/07/2021; the adult groups raised by 6 % from 28/10/2021 (a new row per ward and group, as
    population_by_age_set records a change)."""
    import csv

    from phongdich.areas.models import Area

    path = ROOT / "phongdich" / "areas" / "data" / "demo_population_hanoi.csv"
    with path.open(encoding="utf-8") as f:
        population = {r["ward_code"]: int(r["population"]) for r in csv.DictReader(f)}
    shares = _age_shares()
    rows = []
    for ward_id, code in Area.objects.filter(level=3, code__in=population).values_list("pk", "code"):
        for group, (lo, hi) in AGE_GROUP_RANGES.items():
            n = round(population[code] * sum(s for a, s in shares.items() if lo <= a <= hi))
            rows.append((ward_id, group, n, date(2021, 7, 1), "Dân số theo nhóm tuổi (bench)"))
            if lo >= 18:
                rows.append((ward_id, group, round(n * 1.06), ADULT_DENOMINATOR_CHANGE,
                             "Hà Nội điều chỉnh mẫu số người trưởng thành"))  # fmt: skip
    return rows


def _constraints_dropped(cursor: Any, table: str, kinds: str = "u") -> list[tuple[str, str]]:
    """Drop `table`'s constraints of the given kinds (u = unique); return (name, definition) to re-add them."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
        "AND contype = ANY(%s)",
        [table, list(kinds)],
    )
    found = cursor.fetchall()
    for name, _definition in found:
        cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    return found


def build_fixture(*, persons: int) -> dict[str, Any]:
    """`persons` residents, their doses and summaries, the denominators; users of the busiest ward."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bench import bench as registry
    from bench.homecare import _indexes_dropped
    from phongdich.accounts.roles import Role
    from phongdich.accounts.services import user_create
    from phongdich.areas.models import Area

    started = time.perf_counter()
    stages: dict[str, float] = {}

    def stage(name: str, t0: float) -> float:
        stages[name] = round(time.perf_counter() - t0, 1)
        print(f"fixture: {name} {stages[name]} s", flush=True)
        return time.perf_counter()

    t = time.perf_counter()
    registry.recreate_database()
    call_command("migrate", verbosity=0)
    call_command("seed_areas", stdout=open(os.devnull, "w"))  # noqa: SIM115
    city = user_create(username="bench", password=None, role=Role.CITY_ADMIN, area=Area.objects.get(code="01"))
    t = stage("migrate", t)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET work_mem = '256MB'")
        cursor.execute("SET session_replication_role = replica")
        with _indexes_dropped(cursor, "people_person"):
            registry.load_persons(total=persons)
            t = stage("persons", t)
        cursor.execute("ANALYZE people_person")
        t = stage("person indexes", t)

        cursor.execute(PLAN_SQL, {})
        cursor.execute("SELECT grp, count(*), sum((birth_year <= 1972)::int) FROM bench_vplan GROUP BY grp")
        groups = {g: (n, old) for g, n, old in cursor.fetchall()}
        # Fourth doses (people 50+, per 1,000) chosen so that the doses add up to about TARGET_DOSES.
        cursor.execute(DOSES_SQL, {"four": 0})
        cursor.execute(
            "SELECT sum(n), count(*) FILTER (WHERE n = 3 AND grp = 'adult' AND birth_year <= 1972 "
            "AND greatest(d2 + 90, date '2021-12-20') <= date '2022-02-22') FROM bench_vplan"
        )
        total, eligible = cursor.fetchone()
        deficit = TARGET_DOSES * persons // 8_000_000 - total
        four = min(925, -(-deficit * 925 // max(eligible, 1))) if deficit > 0 else 0
        if four:
            cursor.execute(DOSES_SQL, {"four": four})
        cursor.execute(DOSE34_SQL, {})
        cursor.execute("ANALYZE bench_vplan")
        t = stage(f"plan (4th-dose share {four}/1000 of eligible 50+)", t)

        unique = _constraints_dropped(cursor, "vaccination_dose")
        with _indexes_dropped(cursor, "vaccination_dose"):
            for k, (day, product, kind) in DOSE_COLUMNS.items():
                cursor.execute(INSERT_DOSES_SQL.format(day=day, product=product, kind=kind, k=k))
                t = stage(f"doses {k}", t)
            for name, definition in unique:
                cursor.execute(f'ALTER TABLE vaccination_dose ADD CONSTRAINT "{name}" {definition}')
        t = stage("dose indexes", t)

        with _indexes_dropped(cursor, "vaccination_personvaccination"):
            cursor.execute(SUMMARY_SQL, {"now": now})
            t = stage("summaries", t)
        t = stage("summary indexes", t)

        # Denominators: each ward's demo population split by the synthetic age pyramid; the city's adult groups
        # raised by 6 % from 28/10/2021 (a new row per ward and group, as population_by_age_set records it).
        rows = denominator_rows()
        with cursor.cursor.copy(
            "COPY vaccination_populationbyage (area_id, age_group, population, effective_from, note, changed_at) "
            "FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row((*row, now))
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("DROP TABLE bench_vplan")
        t = stage("denominators", t)

        cursor.execute(
            "SELECT ward_id FROM vaccination_personvaccination WHERE next_due_on IS NOT NULL "
            "GROUP BY ward_id ORDER BY count(*) DESC, ward_id LIMIT 1"
        )
        busiest = Area.objects.select_related("parent").get(pk=cursor.fetchone()[0])
    user_create(username="bench-ward", password=None, role=Role.WARD_OFFICER, area=busiest)
    user_create(username="bench-district", password=None, role=Role.DISTRICT_OFFICER, area=busiest.parent)
    del city
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    t = stage("vacuum analyze", t)
    info = {"seconds": round(time.perf_counter() - started, 1), "stages": stages, "groups": groups,
            "fourth_dose_per_mille": four, "built_at": now.isoformat()}  # fmt: skip
    _fixture_info_store(info)
    return info


def _fixture_info_store(info: dict[str, Any]) -> None:
    """Keep how the fixture was built in the database, so a run that reuses it can still say."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_fixture (info jsonb)")
        cursor.execute("DELETE FROM bench_fixture")
        cursor.execute("INSERT INTO bench_fixture VALUES (%s::jsonb)", [json.dumps(info, ensure_ascii=False)])


def _fixture_info() -> dict[str, Any] | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_fixture') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return None
        cursor.execute("SELECT info::text FROM bench_fixture")
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


# --- import ----------------------------------------------------------------------------------------------------

PRODUCT_TEXT = {"astrazeneca": "AstraZeneca", "pfizer": "Pfizer", "moderna": "Moderna", "vero_cell": "Vero Cell",
                "pfizer_5_11": "Pfizer (5-11)"}  # fmt: skip
KIND_TEXT = {"primary_1": "Mũi 1", "primary_2": "Mũi 2", "booster_1": "3", "booster_2": "4", "additional": "3"}
IMPORT_HEADER = ("STT", "Họ và tên", "Ngày sinh", "Giới tính", "CCCD/CMND", "Số điện thoại", "Địa chỉ", "Phường/Xã",
                 "Quận/Huyện", "Ngày tiêm", "Tên vắc xin", "Số lô", "Mũi thứ", "Điểm tiêm", "Đơn vị tiêm")  # fmt: skip
# Shares of the file's rows (per 1,000): persons of the registry named by CCCD, by name + birth year + phone only,
# new persons; and the bad rows (dose before birth, unknown vaccine, no date). A few CCCD rows misspell the name.
SHARE_CCCD, SHARE_NAME, SHARE_NEW, SHARE_BAD = 700, 195, 100, 5
MISSPELT_PER_MILLE = 10


def write_dose_xlsx(path: Path, *, rows: int, seed: int, exclude: set[int] | None = None) -> dict[str, Any]:
    """A vaccination-site list of `rows` doses given in July 2022, drawn from the fixture's persons: the next dose
    each one is due (kind, date ≥ due date, one of the products allowed), plus new persons' first doses and a few
    bad rows. Returns what it wrote (the person ids used, so another file can avoid them)."""
    import xlsxwriter
    from django.db import connection

    from bench import synthetic

    rnd = random.Random(seed)
    n_cccd, n_name = rows * SHARE_CCCD // 1000, rows * SHARE_NAME // 1000
    n_bad = rows * SHARE_BAD // 1000
    n_new = rows - n_cccd - n_name - n_bad
    exclude = exclude or set()
    july = date(2022, 7, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(person_id) FROM vaccination_personvaccination")
        top = cursor.fetchone()[0]
        picked: list[tuple] = []
        want = {True: n_cccd + n_bad, False: n_name}
        seen: set[int] = set(exclude)
        while want[True] > 0 or want[False] > 0:
            ids = [i for i in rnd.sample(range(1, top + 1), 3 * (want[True] + want[False]) + 1000) if i not in seen]
            cursor.execute(
                "SELECT p.id, p.full_name, p.birth_date, p.birth_year, p.sex, p.national_id, p.phone, p.address,"
                " w.name, d.name, v.next_kind, v.next_due_on, v.next_products, v.last_dose_on "
                "FROM people_person p JOIN vaccination_personvaccination v ON v.person_id = p.id "
                "JOIN areas_area w ON w.id = p.ward_id JOIN areas_area d ON d.id = w.parent_id "
                "WHERE p.id = ANY(%s) AND v.next_kind <> '' AND v.next_due_on <= %s AND p.import_job_id IS NULL"
                " AND NOT (v.next_kind = 'booster_2' AND p.birth_year > 1971)",
                [ids, date(2022, 7, 31)],
            )
            for row in cursor.fetchall():
                key = row[5] is not None
                if want[key] > 0 and row[0] not in seen:
                    seen.add(row[0])
                    picked.append(row)
                    want[key] -= 1
    new_people = []
    taken_check: list[str] = []
    for person in synthetic.people(count=n_new * 2, seed=seed + 5000):
        if 2022 - person.birth_year >= 18:
            new_people.append(person)
            taken_check.append(person.national_id or "")
        if len(new_people) >= n_new * 3 // 2:
            break
    with connection.cursor() as cursor:
        cursor.execute("SELECT national_id FROM people_person WHERE national_id = ANY(%s)", [taken_check])
        taken = {r[0] for r in cursor.fetchall()}
    new_people = [p for p in new_people if not p.national_id or p.national_id not in taken][:n_new]

    lines: list[list[Any]] = []
    bad_kinds = ("before_birth", "unknown_product", "no_date")
    n_bad_done = 0
    for row in picked:
        _pid, name, born, birth_year, sex, cccd, phone, address, ward, district, kind, due, products, _last = row
        # A week past the fixture's due date: its intervals count days where the rules count calendar months.
        given = max(due + timedelta(days=7), july) + timedelta(days=rnd.randrange(0, 10))
        products = json.loads(products) if isinstance(products, str) else products  # Django leaves jsonb as text
        if kind.startswith("booster"):  # boosters: mRNA (CV 10722 / 3309)
            products = [p for p in products if p in ("pfizer", "moderna")] or ["pfizer"]
        product = PRODUCT_TEXT.get(rnd.choice(products) if products else "pfizer", "Pfizer")
        birth = born.strftime("%d/%m/%Y") if born else str(birth_year)
        line = [name, birth, "Nam" if sex == "M" else "Nữ", cccd or "", phone, address, ward, district, given,
                product, f"{rnd.choice('ABCDEF')}{rnd.randrange(1000, 9999)}", KIND_TEXT.get(kind, ""),
                f"Trạm Y tế {ward}", f"TYT {ward}"]  # fmt: skip
        if cccd and n_bad_done < n_bad:
            problem = bad_kinds[n_bad_done % len(bad_kinds)]
            n_bad_done += 1
            if problem == "before_birth":
                line[8] = date(birth_year - 1, 6, 1)
            elif problem == "unknown_product":
                line[9] = "Vắc xin XYZ-19"
            else:
                line[8] = None
        elif cccd and rnd.randrange(1000) < MISSPELT_PER_MILLE:
            line[0] = name.rsplit(" ", 1)[0] + " " + name.rsplit(" ", 1)[-1][::-1].capitalize()
        lines.append(line)
    for p in new_people:
        given = july + timedelta(days=rnd.randrange(0, 31))
        product = rnd.choice(("AstraZeneca", "Pfizer", "Moderna", "Vero Cell"))
        birth = p.birth_date.strftime("%d/%m/%Y") if p.birth_date else str(p.birth_year)
        lines.append([p.full_name, birth, "Nam" if p.sex == "M" else "Nữ", p.national_id or "", p.phone, p.address,
                      p.ward_name, p.district_name, given, product, f"{rnd.choice('ABCDEF')}{rnd.randrange(1000, 9999)}",
                      "Mũi 1", f"Trạm Y tế {p.ward_name}", f"TYT {p.ward_name}"])  # fmt: skip
    rnd.shuffle(lines)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Danh sach")
    day_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, IMPORT_HEADER)
    for i, line in enumerate(lines, start=1):
        sheet.write_number(i, 0, i)
        for j, value in enumerate(line, start=1):
            if isinstance(value, date):
                sheet.write_datetime(i, j, value, day_format)
            elif value is not None:
                sheet.write_string(i, j, str(value))
    workbook.close()
    return {"rows": len(lines), "registry_by_cccd": n_cccd, "registry_by_name_birth_year_phone": n_name,
            "new_persons": len(new_people), "bad_rows": n_bad_done,
            "person_ids": {r[0] for r in picked}}  # fmt: skip


def _raw_copy_ceiling(path: Path) -> dict[str, Any]:
    """Read the same file with calamine and COPY its cells as text into a scratch table: the ceiling."""
    from django.db import connection
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    cells = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[1:]
    read_seconds = time.perf_counter() - started
    width = len(cells[0])
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE raw_doses (" + ", ".join(f"c{i} text" for i in range(width)) + ")")
        started = time.perf_counter()
        with cursor.cursor.copy("COPY raw_doses FROM STDIN") as copy:
            for row in cells:
                copy.write_row(["" if c is None else str(c) for c in row])
        copy_seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE raw_doses")
    return {"seconds": round(copy_seconds, 3), "rows_per_s": round(len(cells) / copy_seconds),
            "calamine_read_seconds": round(read_seconds, 3)}  # fmt: skip


PROFILE_GROUPS = (
    ("psycopg", "psycopg (driver, incl. waiting for PostgreSQL)"),
    ("python_calamine", "reading the xlsx"),
    ("imports/reader", "reading the xlsx"),
    ("rules/vaccination", "schedule rules (rules/vaccination.py)"),
    ("vaccination/services", "summary refresh (vaccination/services.py)"),
    ("vaccination/importer", "dose importer (parsing, matching)"),
    ("people/identity", "identity parsing (people/identity.py)"),
    ("areas/matching", "ward matching"),
    ("django/db/", "Django ORM"),
    ("django/template", "templates"),
    ("phongdich/", "other phongdich code"),
    ("django/", "other Django"),
)


def _profile_groups(profiler: cProfile.Profile, top: int = 12) -> dict[str, Any]:
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    groups: dict[str, float] = {}
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.items():
        label = next((g for key, g in PROFILE_GROUPS if key in filename), "Python standard library, other")
        groups[label] = groups.get(label, 0.0) + tottime
    total = sum(groups.values()) or 1.0
    heaviest = sorted(stats.items(), key=lambda kv: -kv[1][2])[:6]
    top_self = [f"{Path(f).name}:{name} {round(v[2] / total * 100)} %" for (f, _l, name), v in heaviest]
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return {"share_percent": {g: round(v / total * 100) for g, v in sorted(groups.items(), key=lambda x: -x[1])},
            "top_self_time": top_self,
            "top_cumulative": [line.strip() for line in out.getvalue().splitlines() if "(" in line][-top:]}  # fmt: skip


class _SqlClock:
    """Counts queries and their wall time (connection.execute_wrapper)."""

    def __init__(self) -> None:
        self.queries, self.seconds = 0, 0.0
        self.captured: list[tuple[str, Any]] = []
        self.capture = False

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries += 1
            self.seconds += time.perf_counter() - t0
            if self.capture and not many:
                self.captured.append((sql, params))


def bench_import(*, user: Any, rows: int, workdir: Path, profile_rows: int) -> dict[str, Any]:
    """The dose file through the real engine, first and again (all matched), beside raw COPY of the same rows."""
    from django.db import connection

    import phongdich.vaccination.importer  # noqa: F401  (registers kind "doses")
    from phongdich.imports.engine import import_job_run
    from phongdich.imports.services import import_job_create

    path = workdir / f"doses-{rows}.xlsx"
    started = time.perf_counter()
    written = write_dose_xlsx(path, rows=rows, seed=60)
    used = written.pop("person_ids")
    print(json.dumps({"import file": written, "seconds": round(time.perf_counter() - started, 1)}), flush=True)

    def run(file: Path) -> tuple[Any, float, _SqlClock]:
        clock = _SqlClock()
        started = time.perf_counter()
        with connection.execute_wrapper(clock):
            with file.open("rb") as f:
                job = import_job_create(actor=user, file=f, name=file.name, kind="doses", enqueue=False)
            job = import_job_run(job=job)
        return job, time.perf_counter() - started, clock

    runs = {}
    for label in ("first", "again"):
        job, seconds, clock = run(path)
        assert job.status == "done", (job.status, job.error)
        runs[label] = {"seconds": round(seconds, 2), "rows": job.total_rows, "rows_per_s": round(job.total_rows / seconds),
                       "created": job.created, "matched_existing": job.matched_existing, "rejected": job.rejected,
                       "doubtful": job.doubtful, "queries": clock.queries, "sql_seconds": round(clock.seconds, 2)}  # fmt: skip
        print(json.dumps({f"import {label}": runs[label]}), flush=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(DISTINCT d.person_id) FROM vaccination_dose d WHERE d.import_job_id = %s",
            [job.pk - 1],
        )
        doses, persons = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM people_person WHERE import_job_id = %s", [job.pk - 1])
        new_persons = cursor.fetchone()[0]
    result: dict[str, Any] = {
        "file": written, "import": runs, "ceiling_raw_copy": _raw_copy_ceiling(path),
        "stored_by_first": {"doses": doses, "persons_with_doses": persons, "new_persons": new_persons},
        "target_rows_per_s": TARGETS["import_rows_per_s"],
    }  # fmt: skip
    if profile_rows:
        # Where the time goes: a smaller file of other persons, imported under cProfile (slower than unprofiled).
        ppath = workdir / f"doses-profile-{profile_rows}.xlsx"
        write_dose_xlsx(ppath, rows=profile_rows, seed=61, exclude=used)
        profiler = cProfile.Profile()
        profiler.enable()
        job, seconds, clock = run(ppath)
        profiler.disable()
        result["profile"] = {"rows": job.total_rows, "seconds_profiled": round(seconds, 2),
                             "sql_share_percent": round(clock.seconds / seconds * 100), **_profile_groups(profiler)}  # fmt: skip
    return result


def import_cleanup(*, built_at: str | None) -> dict[str, int]:
    """Undo earlier imports (a reused fixture): their doses, the persons they created (and their summaries), and
    recompute the summaries they touched (rows written after the fixture was built) as on FIXTURE_ON."""
    from django.db import connection

    from phongdich.vaccination.services import person_vaccination_refresh

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM vaccination_dose WHERE import_job_id IS NOT NULL")
        doses = cursor.rowcount
        cursor.execute(
            "DELETE FROM vaccination_personvaccination v USING people_person p "
            "WHERE p.id = v.person_id AND p.import_job_id IS NOT NULL"
        )
        # Nothing else refers to these persons any more; skip the foreign-key triggers (merged_into has no index:
        # checking it would scan 8 million persons per deleted row).
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "DELETE FROM people_person_conditions c USING people_person p "
            "WHERE p.id = c.person_id AND p.import_job_id IS NOT NULL"
        )
        cursor.execute("DELETE FROM people_person WHERE import_job_id IS NOT NULL")
        persons = cursor.rowcount
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("DELETE FROM imports_importissue")
        cursor.execute("DELETE FROM imports_importjob")
        touched: list[int] = []
        if built_at:
            cursor.execute("SELECT person_id FROM vaccination_personvaccination WHERE updated_at > %s", [built_at])
            touched = [r[0] for r in cursor.fetchall()]
    person_vaccination_refresh(person_ids=touched, on=FIXTURE_ON)
    with connection.cursor() as cursor:
        if touched:
            cursor.execute(
                "UPDATE vaccination_personvaccination SET updated_at = %s WHERE person_id = ANY(%s)",
                [built_at, touched],
            )
        for table in ("vaccination_dose", "vaccination_personvaccination", "people_person"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return {"doses": doses, "persons": persons, "summaries_recomputed": len(touched)}


# --- pages -----------------------------------------------------------------------------------------------------


def bench_pages(*, users: dict[str, Any], runs: int) -> dict[str, Any]:
    """Coverage tables and due lists end to end through the Django test client, beside the bare SQL the same page
    runs (its SELECTs captured from one request and replayed on the same connection), with where its time goes."""
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from bench.bench import p95, timed

    ward = users["ward"].area
    scenarios: dict[str, tuple[str, str, dict[str, str], int]] = {
        "city coverage table: districts × age groups (today)": ("city", "vaccination:coverage", {}, 300),
        "city coverage table on 30/06/2022 (dose dates decide)": (
            "city", "vaccination:coverage", {"on": FIXTURE_ON.strftime("%d/%m/%Y")}, 300,
        ),
        "city user, one district's wards × age groups": (
            "city", "vaccination:coverage", {"district": str(ward.parent_id)}, 300,
        ),
        "district coverage table: its wards × age groups": ("district", "vaccination:coverage", {}, 300),
        "ward due list, busiest ward (page 1 of 50)": ("ward", "vaccination:due", {}, 100),
        "ward due list, overdue 50+ (page 1)": ("ward", "vaccination:due", {"overdue": "on", "min_age": "50"}, 100),
        "ward printable list: overdue, 50+": ("ward", "vaccination:due_print", {"overdue": "on", "min_age": "50"}, 100),
    }  # fmt: skip
    out: dict[str, Any] = {"scenarios": {}, "runs": runs}
    for label, (who, name, params, target) in scenarios.items():
        client = Client()
        client.force_login(users[who])
        url = reverse(name)

        def get(url: str = url, params: dict[str, str] = params, client: Client = client) -> Any:
            response = client.get(url, params, secure=True)
            assert response.status_code == 200, (url, params, response.status_code)
            return response

        response = get()
        size_kb = round(len(response.content) / 1024)
        view_ms = timed(get, runs=runs)
        # The page's own SQL: capture one request's SELECTs, replay them bare.
        clock = _SqlClock()
        clock.capture = True
        with connection.execute_wrapper(clock):
            get()
        selects = [(sql, params_) for sql, params_ in clock.captured if sql.lstrip().upper().startswith("SELECT")]

        def bare(selects: list[tuple[str, Any]] = selects) -> None:
            with connection.cursor() as cursor:
                for sql, params_ in selects:
                    cursor.execute(sql, params_)
                    cursor.fetchall()

        sql_ms = timed(bare, runs=runs)
        # Where the page's time goes: 5 requests under cProfile.
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(5):
            get()
        profiler.disable()
        profile = _profile_groups(profiler, top=8)
        shares = profile["share_percent"]
        out["scenarios"][label] = {
            "who": who, "url": url, "params": params, "target_p95_ms": target,
            "view_p95_ms": round(p95(view_ms), 1), "view_median_ms": round(statistics.median(view_ms), 1),
            "ceiling_bare_sql_p95_ms": round(p95(sql_ms), 1), "bare_sql_median_ms": round(statistics.median(sql_ms), 1),
            "queries": clock.queries, "sql_ms_in_request": round(clock.seconds * 1000, 1), "html_kb": size_kb,
            "profile_share_percent": dict(list(shares.items())[:5]), "profile_top_self_time": profile["top_self_time"],
        }  # fmt: skip
        print(json.dumps({label: out["scenarios"][label]}, ensure_ascii=False), flush=True)
    return out


def explain(*, users: dict[str, Any]) -> dict[str, str]:
    """EXPLAIN ANALYZE of the heaviest query of the city coverage table and of the ward due list."""
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    plans = {}
    for label, who, name in (
        ("city coverage", "city", "vaccination:coverage"),
        ("ward due list", "ward", "vaccination:due"),
    ):
        client = Client()
        client.force_login(users[who])
        clock = _SqlClock()
        clock.capture = True
        with connection.execute_wrapper(clock):
            client.get(reverse(name), secure=True)
        timings = []
        with connection.cursor() as cursor:
            for sql, params in clock.captured:
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                started = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                timings.append((time.perf_counter() - started, sql, params))
            _t, sql, params = max(timings, key=lambda x: x[0])
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plans[label] = "\n".join(r[0] for r in cursor.fetchall())
    return plans


def rollup_what_if(*, runs: int, district_id: int) -> dict[str, Any]:
    """Not the app's code: what the coverage page's queries cost if they read small rollup tables (counts per
    area × birth year × status, and per area × day of first doses and of completed primary courses, for wards and
    for districts) instead of the 8 million summary rows. Built here as scratch tables; timings for the next step."""
    from django.db import connection

    from bench.bench import p95, timed

    out: dict[str, Any] = {}
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(
            "CREATE TEMP TABLE rollup_status AS SELECT v.ward_id, w.parent_id AS district_id, v.birth_year, v.status,"
            " count(*) AS n FROM vaccination_personvaccination v JOIN areas_area w ON w.id = v.ward_id GROUP BY 1, 2, 3, 4"
        )
        cursor.execute(
            "CREATE TEMP TABLE rollup_day AS SELECT t.ward_id, w.parent_id AS district_id, day, sum(first) AS first,"
            " sum(prim) AS prim FROM ("
            " SELECT ward_id, first_dose_on AS day, 1 AS first, 0 AS prim FROM vaccination_personvaccination"
            " WHERE first_dose_on IS NOT NULL UNION ALL"
            " SELECT ward_id, primary_complete_on, 0, 1 FROM vaccination_personvaccination"
            " WHERE primary_complete_on IS NOT NULL) t JOIN areas_area w ON w.id = t.ward_id GROUP BY 1, 2, 3"
        )
        cursor.execute(
            "CREATE TEMP TABLE rollup_status_district AS SELECT district_id, birth_year, status, sum(n) AS n "
            "FROM rollup_status GROUP BY 1, 2, 3"
        )
        cursor.execute(
            "CREATE TEMP TABLE rollup_day_district AS SELECT district_id, day, sum(first) AS first, sum(prim) AS prim "
            "FROM rollup_day GROUP BY 1, 2"
        )
        cursor.execute("CREATE INDEX ON rollup_status (district_id)")
        cursor.execute("CREATE INDEX ON rollup_day (district_id, day)")
        for table in ("rollup_status", "rollup_day", "rollup_status_district", "rollup_day_district"):
            cursor.execute(f"ANALYZE {table}")
        out["full_rebuild_seconds"] = round(time.perf_counter() - started, 1)
        cursor.execute(
            "SELECT (SELECT count(*) FROM rollup_status), (SELECT count(*) FROM rollup_day),"
            " (SELECT count(*) FROM rollup_status_district), (SELECT count(*) FROM rollup_day_district)"
        )
        out["rows"] = dict(zip(("ward_status", "ward_day", "district_status", "district_day"), cursor.fetchone(),
                               strict=True))  # fmt: skip
    year = date.today().year
    band = " ".join(f"WHEN birth_year BETWEEN {year - hi} AND {year - lo} THEN '{g}'"
                    for g, (lo, hi) in AGE_GROUP_RANGES.items())  # fmt: skip
    start, end = date.today() - timedelta(days=83), date.today()
    queries = {
        "city: districts × band × status, from the ward rollup": (
            f"SELECT district_id, CASE {band} END, status, sum(n) FROM rollup_status GROUP BY 1, 2, 3", [],
        ),
        "city: districts × band × status, from the district rollup": (
            f"SELECT district_id, CASE {band} END, status, sum(n) FROM rollup_status_district GROUP BY 1, 2, 3", [],
        ),
        "district: its wards × band × status, from the ward rollup": (
            f"SELECT ward_id, CASE {band} END, status, sum(n) FROM rollup_status WHERE district_id = %s "
            "GROUP BY 1, 2, 3", [district_id],
        ),
        "city trend, 12 weeks, from the district rollup": (
            "SELECT CASE WHEN day >= %s THEN day END, sum(first), sum(prim) FROM rollup_day_district "
            "WHERE day <= %s GROUP BY 1", [start, end],
        ),
        "district trend, 12 weeks, from the ward rollup": (
            "SELECT CASE WHEN day >= %s THEN day END, sum(first), sum(prim) FROM rollup_day "
            "WHERE district_id = %s AND day <= %s GROUP BY 1", [start, district_id, end],
        ),
    }  # fmt: skip
    for label, (sql, params) in queries.items():

        def run(sql: str = sql, params: Any = params) -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()

        ms = timed(run, runs=runs)
        out[label] = {"p95_ms": round(p95(ms), 1), "median_ms": round(statistics.median(ms), 1)}
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE rollup_status, rollup_day, rollup_status_district, rollup_day_district")
    return out


def due_what_if(*, user: Any, runs: int) -> dict[str, Any]:
    """Not the app's code: the busiest ward's due-list page query (count + first 50) as the selector builds it,
    beside a deferred join (order and limit the primary keys first, then load those 50 rows with their persons),
    without and with a covering index of the sort keys (a scratch index, dropped after)."""
    from django.db import connection
    from django.db.models import Subquery
    from django.utils import timezone

    from bench.bench import p95, timed
    from phongdich.vaccination.coverage import due_list

    today = timezone.localdate()
    qs = due_list(user=user, on=today)
    count_sql = qs.order_by().values("pk").query.sql_with_params()
    page = qs[:50].query.sql_with_params()
    deferred = due_list(user=user, on=today).filter(pk__in=Subquery(qs.values("pk")[:50])).query.sql_with_params()

    def measure(queries: list[tuple[str, Any]]) -> dict[str, float]:
        def run() -> None:
            with connection.cursor() as cursor:
                for sql, params in queries:
                    cursor.execute(sql, params)
                    cursor.fetchall()

        ms = timed(run, runs=runs)
        return {"p95_ms": round(p95(ms), 1), "median_ms": round(statistics.median(ms), 1)}

    count = (f"SELECT count(*) FROM ({count_sql[0]}) t", count_sql[1])
    out: dict[str, Any] = {
        "as the selector builds it (count + page)": measure([count, page]),
        "deferred join (count + page)": measure([count, deferred]),
    }
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(
            "CREATE INDEX bench_whatif_due ON vaccination_personvaccination (ward_id, next_due_on) "
            "INCLUDE (birth_year, priority, homebound, person_id) WHERE next_due_on IS NOT NULL"
        )
        cursor.execute("VACUUM ANALYZE vaccination_personvaccination")
        out["covering_index_build_seconds"] = round(time.perf_counter() - started, 1)
    try:
        out["deferred join + covering index (count + page)"] = measure([count, deferred])
        out["as the selector builds it + covering index (count + page)"] = measure([count, page])
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX bench_whatif_due")
    return out


# --- checks and summary ----------------------------------------------------------------------------------------

CHECKED_FIELDS = ("doses", "first_dose_on", "last_dose_on", "last_product", "status", "primary_complete_on",
                  "next_kind", "next_due_on", "priority")  # fmt: skip


def fixture_check(*, sample: int = 2000) -> dict[str, Any]:
    """Recompute a random sample of summaries with the real services.person_vaccination_refresh (as on FIXTURE_ON,
    rolled back) and compare them field by field with the fixture's SQL-computed rows."""
    from django.db import connection, transaction

    from phongdich.vaccination.models import PersonVaccination
    from phongdich.vaccination.services import person_vaccination_refresh

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT person_id FROM vaccination_personvaccination TABLESAMPLE SYSTEM (0.1) REPEATABLE (7) LIMIT %s",
            [sample],
        )
        ids = [r[0] for r in cursor.fetchall()]
    before = {
        r["person_id"]: r for r in PersonVaccination.objects.filter(pk__in=ids).values("person_id", *CHECKED_FIELDS)
    }
    with transaction.atomic():
        person_vaccination_refresh(person_ids=ids, on=FIXTURE_ON)
        after = {
            r["person_id"]: r for r in PersonVaccination.objects.filter(pk__in=ids).values("person_id", *CHECKED_FIELDS)
        }
        transaction.set_rollback(True)
    agree = dict.fromkeys(CHECKED_FIELDS, 0)
    examples: dict[str, list[str]] = {}
    for pid, row in before.items():
        for f in CHECKED_FIELDS:
            if row[f] == after[pid][f]:
                agree[f] += 1
            elif len(examples.setdefault(f, [])) < 3:
                examples[f].append(f"person {pid}: fixture {row[f]!s} / refresh {after[pid][f]!s} "
                                   f"({row['doses']} doses, status {row['status']})")  # fmt: skip
    n = len(before) or 1
    return {"sample": len(before), "agree_percent": {f: round(v / n * 100, 1) for f, v in agree.items()},
            "differences": examples}  # fmt: skip


def fixture_summary() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM people_person), (SELECT count(*) FROM vaccination_dose),"
            " (SELECT count(*) FROM vaccination_personvaccination),"
            " (SELECT count(*) FROM vaccination_personvaccination WHERE next_due_on IS NOT NULL),"
            " (SELECT count(*) FROM vaccination_populationbyage),"
            " pg_size_pretty(pg_total_relation_size('vaccination_dose')),"
            " pg_size_pretty(pg_total_relation_size('vaccination_personvaccination')),"
            " pg_size_pretty(pg_total_relation_size('people_person')),"
            " pg_size_pretty(pg_database_size(current_database()))"
        )
        keys = ("persons", "doses", "summaries", "summaries_with_next_due", "denominator_rows", "dose_table_size",
                "summary_table_size", "person_table_size", "database_size")  # fmt: skip
        out = dict(zip(keys, cursor.fetchone(), strict=True))
        cursor.execute("SELECT kind, count(*) FROM vaccination_dose GROUP BY kind ORDER BY kind")
        out["doses_by_kind"] = dict(cursor.fetchall())
        cursor.execute("SELECT status, count(*) FROM vaccination_personvaccination GROUP BY status ORDER BY status")
        out["summaries_by_status"] = dict(cursor.fetchall())
    return out


def run_suite(*, args: argparse.Namespace, fixture: dict[str, Any], started: float) -> None:
    import psycopg
    from django.core.management import call_command
    from django.utils import timezone

    from bench.bench import write_result
    from phongdich.accounts.models import User
    from phongdich.vaccination.models import PersonVaccination

    call_command("migrate", verbosity=0)  # a reused fixture may predate the app's latest migrations
    built = fixture.get("built") or {}
    cleaned = import_cleanup(built_at=built.get("built_at")) if fixture.get("reused") else {}
    # The fixture (and the clean-up) wrote summaries in bulk, past person_vaccination_refresh: recount the coverage
    # tallies it keeps, with the service meant for that.
    from phongdich.vaccination.services import coverage_tallies_rebuild

    t0 = time.perf_counter()
    tallies, days = coverage_tallies_rebuild()
    recount = {"tallies": tallies, "day_rows": days, "seconds": round(time.perf_counter() - t0, 1)}
    print(json.dumps({"coverage tallies recounted": recount}), flush=True)
    users = {u.username.removeprefix("bench-") if u.username != "bench" else "city": u
             for u in User.objects.select_related("area__parent").filter(username__startswith="bench")}  # fmt: skip
    ward = users["ward"].area
    check = fixture_check()
    print(json.dumps({"fixture check": check}, ensure_ascii=False), flush=True)
    summary = fixture_summary()
    today = timezone.localdate()
    loaded = {**summary, "busiest_ward": f"{ward.name}, {ward.parent.name}",
              "busiest_ward_summaries": PersonVaccination.objects.filter(ward=ward).count(),
              "busiest_ward_due": PersonVaccination.objects.filter(ward=ward, next_due_on__isnull=False).count(),
              "busiest_ward_due_50_plus": PersonVaccination.objects.filter(
                  ward=ward, next_due_on__lt=today, birth_year__lte=today.year - 50).count()}  # fmt: skip
    print(json.dumps({"loaded": loaded}, ensure_ascii=False), flush=True)
    environment = {"date": today.isoformat(), "python": platform.python_version(), "cpus": os.cpu_count(),
                   "postgresql": psycopg.connect(DB_URL).info.server_version}  # fmt: skip
    result: dict[str, Any] = {"env": environment, "fixture": fixture, "fixture_check": check, "loaded": loaded,
                              "targets": TARGETS, "reuse_cleanup": cleaned, "tallies_recount": recount}  # fmt: skip
    if not args.skip_import:
        with tempfile.TemporaryDirectory() as tmp:
            result["import"] = bench_import(user=users["city"], rows=args.import_rows, workdir=Path(tmp),
                                            profile_rows=args.profile_import_rows)  # fmt: skip
    result["pages"] = bench_pages(users=users, runs=args.runs)
    result["plans"] = explain(users=users)
    result["due_what_if"] = due_what_if(user=users["ward"], runs=args.runs)
    print(json.dumps({"due what-if": result["due_what_if"]}, ensure_ascii=False), flush=True)
    result["rollup_what_if"] = rollup_what_if(runs=args.runs, district_id=ward.parent_id)
    print(json.dumps({"rollup what-if": result["rollup_what_if"]}, ensure_ascii=False), flush=True)
    result["suite_seconds"] = round(time.time() - started)
    write_result("vaccination", result)
    print(f"vaccination done in {result['suite_seconds']} s")


def _fixture_ready(persons: int) -> bool:
    import psycopg

    try:
        with psycopg.connect(DB_URL) as conn:
            row = conn.execute(
                "SELECT (SELECT count(*) FROM people_person WHERE import_job_id IS NULL),"
                " (SELECT count(*) FROM pg_indexes WHERE tablename = 'vaccination_personvaccination'),"
                " (SELECT count(*) FROM accounts_user WHERE username = 'bench-ward')"
            ).fetchone()
            return bool(row and row[0] == persons and row[1] > 1 and row[2] == 1)
    except psycopg.Error:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=8_000_000)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30, help="runs per page for the in-process latencies")
    parser.add_argument("--reuse-fixture", action="store_true")
    parser.add_argument("--profile-import-rows", type=int, default=20_000, help="0: no profiled import")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--fixture-only", action="store_true")
    args = parser.parse_args()
    started = time.time()
    reuse = args.reuse_fixture and _fixture_ready(args.persons)
    _setup_django()
    fixture = {"reused": True, "built": _fixture_info()} if reuse else build_fixture(persons=args.persons)
    print(json.dumps({"fixture": fixture}, ensure_ascii=False), flush=True)
    if args.fixture_only:
        return
    run_suite(args=args, fixture=fixture, started=started)


if __name__ == "__main__":
    main()
