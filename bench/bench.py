"""Benchmarks on PostgreSQL: F0 import vs raw COPY, import memory, F0 list and person search latency;
with `--suite homecare` (or `all`, the default) also the home-care suite of bench/homecare.py, and with
`--suite vaccination` (or `all`) the vaccination suite of bench/vaccination.py, and with `--suite contacts` (or
`all`) the F1 and hotline suite of bench/contacts.py, and with `--suite reports` (or `all`) the reports, dashboards
and levels suite of bench/reports.py.

Each figure is printed beside its ceiling measured in the same run (raw COPY of the same rows,
the bare SQL of the same query), written to bench/results/*.json, and summarised in
docs/performance.md. Run with `bash bench/run.sh`; it recreates the database named in
BENCH_DATABASE_URL.
"""

import argparse
import json
import os
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/phongdich_bench")
os.environ["DATABASE_URL"] = DB_URL
os.environ["DJANGO_SETTINGS_MODULE"] = "phongdich.settings"
os.environ["PHONGDICH_LOG_LEVEL"] = "WARNING"
# The Django test client is used without the test environment: that one instruments every
# template render to record contexts, which would be measured too.
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("PHONGDICH_MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "phongdich-bench-media"))
os.environ.setdefault("PHONGDICH_IMPORT_MAX_BYTES", str(200 * 2**20))

import django  # noqa: E402
import psycopg  # noqa: E402

from bench import synthetic  # noqa: E402


def recreate_database() -> None:
    name = DB_URL.rsplit("/", 1)[1]
    with psycopg.connect(DB_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples)


def timed(fn: Callable[[], Any], *, runs: int, warmup: int = 2) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def write_result(name: str, data: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps({name: data}, ensure_ascii=False))


def bench_import(*, user: Any, rows: int, workdir: Path) -> dict[str, Any]:
    """End-to-end import of a `rows`-row xlsx, then the same rows again, beside raw COPY of those rows."""
    from django.db import connection
    from python_calamine import CalamineWorkbook

    import phongdich.cases.importer  # noqa: F401
    from phongdich.imports.engine import import_job_run
    from phongdich.imports.services import import_job_create

    path = workdir / f"f0-{rows}.xlsx"
    synthetic.write_case_xlsx(path, rows=rows, seed=30)
    runs = {}
    for label in ("first", "again"):
        started = time.perf_counter()
        with path.open("rb") as f:
            job = import_job_create(actor=user, file=f, name=path.name, enqueue=False)
        job = import_job_run(job=job)
        seconds = time.perf_counter() - started
        runs[label] = {"seconds": round(seconds, 3), "rows_per_s": round(job.total_rows / seconds),
                       "created": job.created, "matched_existing": job.matched_existing, "rejected": job.rejected}  # fmt: skip
    started = time.perf_counter()
    cells = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[1:]
    read_seconds = time.perf_counter() - started
    width = len(cells[0])
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE raw_rows (" + ", ".join(f"c{i} text" for i in range(width)) + ")")
        started = time.perf_counter()
        with cursor.cursor.copy("COPY raw_rows FROM STDIN") as copy:
            for row in cells:
                copy.write_row(["" if c is None else str(c) for c in row])
        copy_seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE raw_rows")
    return {
        "rows": rows,
        "import": runs,
        "ceiling_raw_copy": {"seconds": round(copy_seconds, 3), "rows_per_s": round(rows / copy_seconds)},
        "calamine_read_seconds": round(read_seconds, 3),
        "target_rows_per_s": 20000,
    }


def bench_import_memory(*, rows: int, username: str, workdir: Path) -> dict[str, Any]:
    """A large import in its own process (the import_cases command); peak RSS of that process."""
    path = workdir / f"f0-{rows}.xlsx"
    synthetic.write_case_xlsx(path, rows=rows, seed=300)
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "manage.py", "import_cases", str(path), "--user", username, "--json"],
        cwd=ROOT, capture_output=True, text=True, check=True, env=os.environ,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return {
        "rows": rows, "file_mb": round(path.stat().st_size / 2**20, 1), "seconds": round(seconds, 2),
        "rows_per_s": round(result["rows"] / seconds), "created": result["created"],
        "peak_rss_mb": round(peak_mb), "target_peak_rss_mb": 500,
    }  # fmt: skip


def load_persons(*, total: int) -> int:
    """Top the registry up to `total` persons with synthetic people, by COPY (a fixture, not a measurement)."""
    from django.db import connection
    from django.utils import timezone

    from phongdich.areas.models import Area
    from phongdich.people.models import Person
    from phongdich.vntext import fold

    existing = Person.objects.count()
    if existing >= total:
        return existing
    ward_ids = dict(Area.objects.filter(level=3).values_list("code", "pk"))
    taken = set(Person.objects.exclude(national_id=None).values_list("national_id", flat=True))
    now = timezone.now()
    columns = ("full_name", "name_search", "birth_date", "birth_year", "sex", "national_id", "phone", "address",
               "ward_id", "pregnant", "created_at", "updated_at")  # fmt: skip
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY people_person ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for p in synthetic.people(count=total - existing, seed=1000):
            national_id = None if p.national_id in taken else p.national_id
            copy.write_row((p.full_name, fold(p.full_name), p.birth_date, p.birth_year, p.sex, national_id,
                            p.phone, p.address, ward_ids[p.ward_code], p.pregnant, now, now))  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return Person.objects.count()


def bench_case_list(*, users: dict[str, Any]) -> dict[str, Any]:
    """The F0 list page, server side end to end (middleware, query, template), beside its bare SQL."""
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from phongdich.cases.selectors import CaseFilters, case_list

    url = reverse("cases:list")
    scenarios = {
        "city, newest first": ("city", {}),
        "city, active, last 7 days, 65+": (
            "city",
            {"status": "active", "confirmed_from": "2022-03-01", "confirmed_to": "2022-03-07", "age_group": "65+"},
        ),
        "city, sorted by code, page 100": ("city", {"sort": "code", "page": "100"}),
        "city, name search": ("city", {"q": "nguyen thi huong"}),
        "district, risk group": ("district", {"high_risk": "1"}),
        "ward, newest first": ("ward", {}),
        "ward, sorted by age": ("ward", {"sort": "-age"}),
    }
    selector_filters = {
        "city, newest first": CaseFilters(),
        "city, active, last 7 days, 65+": CaseFilters(
            status="active", confirmed_from=date(2022, 3, 1), confirmed_to=date(2022, 3, 7), age_group="65+"
        ),
        "city, sorted by code, page 100": CaseFilters(sort="code"),
        "city, name search": CaseFilters(q="nguyen thi huong"),
        "district, risk group": CaseFilters(high_risk=True),
        "ward, newest first": CaseFilters(),
        "ward, sorted by age": CaseFilters(sort="-age"),
    }
    out: dict[str, Any] = {"scenarios": {}, "target_p95_ms": 150}
    all_view: list[float] = []
    for label, (who, params) in scenarios.items():
        client = Client()
        client.force_login(users[who])

        def get(params: dict[str, str] = params, client: Client = client) -> None:
            response = client.get(url, params)
            assert response.status_code == 200, response.status_code

        view_ms = timed(get, runs=30)
        qs = case_list(user=users[who], filters=selector_filters[label])
        offset = (int(params.get("page", "1")) - 1) * 50
        count_sql, count_params = qs.order_by().values("pk").query.sql_with_params()
        page_sql, page_params = qs[offset : offset + 50].query.sql_with_params()

        def bare(
            count_sql: str = count_sql, page_sql: str = page_sql, cp: Any = count_params, pp: Any = page_params
        ) -> None:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT count(*) FROM ({count_sql}) t", cp)
                cursor.fetchall()
                cursor.execute(page_sql, pp)
                cursor.fetchall()

        sql_ms = timed(bare, runs=30)
        all_view += view_ms
        out["scenarios"][label] = {"view_p95_ms": round(p95(view_ms), 1), "view_median_ms": round(statistics.median(view_ms), 1),
                                   "ceiling_bare_sql_p95_ms": round(p95(sql_ms), 1)}  # fmt: skip
    out["view_p95_ms_all"] = round(p95(all_view), 1)
    return out


def bench_search(*, user: Any) -> dict[str, Any]:
    """Person search over the whole registry (city user), without diacritics, by phone and by CCCD."""
    from django.db import connection

    from phongdich.people.models import Person
    from phongdich.people.selectors import person_search, persons_visible_to
    from phongdich.vntext import fold

    sample = list(
        Person.objects.exclude(national_id=None).order_by("?").values("full_name", "phone", "national_id")[:40]
    )
    queries = {
        "name without diacritics": [fold(p["full_name"]) for p in sample[:20]],
        "name with diacritics": [p["full_name"] for p in sample[20:30]],
        "phone, other format": ["+84 " + p["phone"][1:4] + " " + p["phone"][4:] for p in sample[30:35]],
        "CCCD": [p["national_id"] for p in sample[35:40]],
    }
    out: dict[str, Any] = {"persons": Person.objects.count(), "target_p95_ms": 50, "kinds": {}}
    all_ms: list[float] = []
    for kind, texts in queries.items():
        ms: list[float] = []
        bare_ms: list[float] = []
        for text in texts:
            ms += timed(lambda text=text: person_search(user=user, query=text), runs=5, warmup=1)
            if kind.startswith("name"):
                qs = persons_visible_to(user).filter(name_search__contains=fold(text)).order_by("-id")[:50]
                sql, params = qs.query.sql_with_params()

                def bare(sql: str = sql, params: Any = params) -> None:
                    with connection.cursor() as cursor:
                        cursor.execute(sql, params)
                        cursor.fetchall()

                bare_ms += timed(bare, runs=5, warmup=1)
        all_ms += ms
        out["kinds"][kind] = {"p95_ms": round(p95(ms), 1), "median_ms": round(statistics.median(ms), 1)}
        if bare_ms:
            out["kinds"][kind]["ceiling_bare_sql_p95_ms"] = round(p95(bare_ms), 1)
    out["p95_ms_all"] = round(p95(all_ms), 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__,
        epilog="Other options go to bench/homecare.py (to bench/vaccination.py with --suite vaccination).",
    )
    parser.add_argument(
        "--suite", choices=("all", "registry", "homecare", "vaccination", "contacts", "reports"), default="all"
    )
    parser.add_argument(
        "--vaccination-args",
        default="",
        help='options for bench/vaccination.py with --suite all, e.g. "--reuse-fixture"',
    )
    parser.add_argument(
        "--contacts-args", default="", help='options for bench/contacts.py with --suite all, e.g. "--reuse-fixture"'
    )
    parser.add_argument(
        "--reports-args", default="", help='options for bench/reports.py with --suite all, e.g. "--reuse-fixture"'
    )
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--import-rows", type=int, default=30_000)
    parser.add_argument("--big-import-rows", type=int, default=300_000)
    args, homecare_args = parser.parse_known_args()
    if homecare_args and args.suite == "registry":
        parser.error(f"unrecognized arguments: {' '.join(homecare_args)}")
    started = time.time()
    if args.suite in ("all", "registry"):
        registry(args)
    if args.suite in ("all", "homecare"):
        # Its own process: another database, and the HTTP part starts servers and a load generator.
        subprocess.run([sys.executable, str(ROOT / "bench" / "homecare.py"), *homecare_args], check=True)
    if args.suite in ("all", "vaccination"):
        # Its own process and database (8 million persons, 20 million doses).
        vaccination_args = homecare_args if args.suite == "vaccination" else shlex.split(args.vaccination_args)
        subprocess.run([sys.executable, str(ROOT / "bench" / "vaccination.py"), *vaccination_args], check=True)
    if args.suite in ("all", "contacts"):
        # Its own process and database (2 million F1, 500,000 requests).
        contacts_args = homecare_args if args.suite == "contacts" else shlex.split(args.contacts_args)
        subprocess.run([sys.executable, str(ROOT / "bench" / "contacts.py"), *contacts_args], check=True)
    if args.suite in ("all", "reports"):
        # Its own process and database (10 million persons, 2 million F0, 40 million declarations).
        reports_args = homecare_args if args.suite == "reports" else shlex.split(args.reports_args)
        subprocess.run([sys.executable, str(ROOT / "bench" / "reports.py"), *reports_args], check=True)
    from bench.report import write_performance_md

    write_performance_md()
    print(f"done in {time.time() - started:.0f} s")


def registry(args: argparse.Namespace) -> None:
    """Issue #2: F0 import, import memory, the F0 list and person search over a million persons."""
    recreate_database()
    django.setup()
    from django.core.management import call_command

    from phongdich.accounts.roles import Role
    from phongdich.accounts.services import user_create
    from phongdich.areas.models import Area
    from phongdich.cases.models import Case

    call_command("migrate", verbosity=0)
    call_command("seed_areas", stdout=open(os.devnull, "w"))  # noqa: SIM115
    city = user_create(username="bench", password=None, role=Role.CITY_ADMIN, area=Area.objects.get(code="01"))
    environment = {"date": date.today().isoformat(), "python": platform.python_version(), "cpus": os.cpu_count(),
                   "postgresql": psycopg.connect(DB_URL).info.server_version}  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        write_result(
            "import", {**bench_import(user=city, rows=args.import_rows, workdir=Path(tmp)), "env": environment}
        )
        write_result(
            "import_memory", bench_import_memory(rows=args.big_import_rows, username="bench", workdir=Path(tmp))
        )
    persons = load_persons(total=args.persons)
    busiest_ward = Area.objects.get(
        pk=Case.objects.values("ward").order_by().annotate(n=django.db.models.Count("id")).order_by("-n")[0]["ward"]
    )
    users = {
        "city": city,
        "district": user_create(
            username="bench-district", password=None, role=Role.DISTRICT_OFFICER, area=busiest_ward.parent
        ),
        "ward": user_create(username="bench-ward", password=None, role=Role.WARD_OFFICER, area=busiest_ward),
    }
    loaded = {"persons": persons, "cases": Case.objects.count(), "busiest_ward": busiest_ward.name,
              "cases_in_busiest_ward": Case.objects.filter(ward=busiest_ward).count()}  # fmt: skip
    write_result("case_list", {**bench_case_list(users=users), "loaded": loaded})
    write_result("search", bench_search(user=city))


if __name__ == "__main__":
    main()
