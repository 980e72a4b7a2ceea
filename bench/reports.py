"""Reports, dashboards and levels benchmarks (issue #5) on PostgreSQL.

The synthetic city: 10,000,000 persons, 2,000,000 F0 over 60 days (7 % at a facility of tier 1–3, 0.3 % died, the
older ones released, 2 % entered late), 40,000,000 health declarations (20 per F0), 60,000 alerts, 500,000 F1,
100,000 requests. Built by SQL, not measured; the daily summary table is then filled by `rebuild_tallies` (timed,
for information).

Measured (pages through the Django test client in-process, DEBUG off):
- the city, district and ward dashboards and situation reports (last 7 days) — target p95 ≤ 300 ms;
- recomputing the levels of all wards, districts and the city (`levels_assess`) — target ≤ 2 s;
- the city's situation report as xlsx through the background task, enqueue → file ready — target ≤ 5 s;
- beside them, the ceiling: summing the summary table for the city over the period in bare SQL.

Run with `bash bench/run.sh --suite reports` (or `python bench/reports.py`); it recreates the database named in
BENCH_REPORTS_DATABASE_URL. `--reuse-fixture` keeps a fixture built before with the same sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script, `bench` must be the package, not bench/bench.py

from bench.fixture import summary, timed  # noqa: E402

DB_URL = os.environ.get("BENCH_REPORTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/phongdich_bench_reports")
TARGETS = {"page_p95_ms": 300, "levels_s": 2, "xlsx_s": 5}
MAX_DAYS = 60
DECLARATIONS_PER_CASE = 20


def _setup() -> None:
    os.environ["BENCH_DATABASE_URL"] = DB_URL  # bench.bench reads it (and sets DATABASE_URL) on import
    os.environ["DJANGO_DEBUG"] = "0"  # DEBUG would record every query of the in-process pages
    os.environ["DJANGO_SECRET_KEY"] = "bench-only-secret-key-not-for-production-0123456789"  # noqa: S105
    sys.path.insert(0, str(ROOT))
    import django

    from bench import bench as registry  # noqa: F401  (environment of the in-process measurements)

    django.setup()
    import phongdich.wsgi  # noqa: F401  (the production process's start-up, including its gc.freeze())


# --- fixture ---------------------------------------------------------------------------------------------------

# Where the F0 are treated and how they ended, decided per case by a hash: 93 % at home, 4 % tier 1, 2 % tier 2,
# 1 % tier 3; released 10 days after the positive test when that day has passed; 2 % entered late; 30 % found in
# quarantine. Deaths (DEATHS_SQL) come after the migrations, as the death date is a later column.
CASE_OUTCOMES_SQL = """
WITH f AS (
    SELECT tier, array_agg(id ORDER BY id) AS ids FROM care_facility GROUP BY tier
)
UPDATE cases_case c SET
    place = CASE WHEN x.h < 93 THEN 'home' ELSE 'facility' END,
    facility_id = CASE WHEN x.h < 93 THEN NULL
        ELSE (SELECT ids[1 + c.id %% array_length(ids, 1)] FROM f
              WHERE f.tier = CASE WHEN x.h < 97 THEN 1 WHEN x.h < 99 THEN 2 ELSE 3 END) END,
    status = CASE WHEN c.confirmed_on < %(today)s - 10 THEN 'released' ELSE 'active' END,
    released_on = CASE WHEN c.confirmed_on < %(today)s - 10 THEN c.confirmed_on + 10 END,
    created_at = CASE WHEN x.late < 2 THEN c.created_at + interval '5 days' ELSE c.created_at END,
    source = CASE WHEN x.q < 30 THEN 'quarantine' ELSE 'community' END
FROM (SELECT id, abs(hashint8extended(id, 51)) %% 100 AS h, abs(hashint8extended(id, 53)) %% 100 AS late, abs(hashint8extended(id, 54)) %% 100 AS q
      FROM cases_case) x
WHERE x.id = c.id
"""

# 0.3 % of the F0 older than 3 days died on their third day (idempotent: run on every start).
DEATHS_SQL = """
UPDATE cases_case SET status = 'died', died_on = confirmed_on + 3, released_on = NULL
WHERE abs(hashint8extended(id, 52)) %% 1000 < 3 AND confirmed_on < %(today)s - 3 AND status <> 'died'
"""

# The follow-up column declaration_submit keeps: the time of the F0's latest sheet; about one F0 at home in seven
# has been silent for more than 24 hours (the "forgotten" count of the dashboards).
LAST_DECLARED_SQL = """
UPDATE cases_case SET last_declared_at = least(
    (confirmed_on + 9 + time '19:30') AT TIME ZONE 'Asia/Ho_Chi_Minh',
    now() - make_interval(hours => (abs(hashint8extended(id, 55)) % 28)::int))
WHERE status = 'active' AND last_declared_at IS NULL
"""

DECLARATIONS_SQL = """
INSERT INTO monitoring_declaration (case_id, declared_at, period, resp_rate, pulse, temperature, spo2,
    spo2_remeasured, bp_systolic, bp_diastolic, symptoms, note, channel, entered_by_id, alert_level, severity,
    signs, rule_sets)
SELECT c.id, (c.confirmed_on + g / 2 + CASE WHEN g %% 2 = 0 THEN time '07:30' ELSE time '19:30' END)
        AT TIME ZONE 'Asia/Ho_Chi_Minh',
    CASE WHEN g %% 2 = 0 THEN 'am' ELSE 'pm' END, 16 + (c.id + g) %% 4, 70 + (c.id + g) %% 20,
    36.5 + ((c.id + g) %% 8) / 10.0, 96 + (c.id + g) %% 4, NULL, NULL, NULL, '[]'::jsonb, '', 'link', NULL, 0, '',
    '[]'::jsonb, '[]'::jsonb
FROM cases_case c, generate_series(0, %(per_case)s - 1) AS g
WHERE c.id BETWEEN %(lo)s AND %(hi)s
"""

ALERTS_SQL = """
INSERT INTO monitoring_alert (case_id, ward_id, declaration_id, level, signs, created_at, raised_at, status,
    acknowledged_at, acknowledged_by_id, handled_at, handled_by_id, action, note, escalated_at, version)
SELECT c.id, c.ward_id,
    (SELECT d.id FROM monitoring_declaration d WHERE d.case_id = c.id ORDER BY d.declared_at LIMIT 1), 2, '[]'::jsonb,
    t, t,
    CASE WHEN c.confirmed_on < %(today)s - 1 THEN 'handled' ELSE 'open' END,
    NULL, NULL,
    CASE WHEN c.confirmed_on < %(today)s - 1 THEN t + make_interval(mins => (c.id %% 90)::int) END,
    CASE WHEN c.confirmed_on < %(today)s - 1 THEN %(user)s::bigint END,
    CASE WHEN c.confirmed_on < %(today)s - 1 THEN 'tu_van_dien_thoai' ELSE '' END, '', NULL, 1
FROM (SELECT *, (confirmed_on + 1 + time '08:00') AT TIME ZONE 'Asia/Ho_Chi_Minh' AS t FROM cases_case
      WHERE id %% 33 = 0) c
"""


def build_fixture(*, persons: int, cases: int, contacts: int, requests: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bench import bench as registry
    from bench.contacts import CASES_SQL, CONTACTS_SQL, REQUESTS_SQL
    from bench.fixture import Stages, bulk_done, bulk_session, fresh_city
    from bench.homecare import _indexes_dropped
    from phongdich.hotline.models import RequestCategory

    stages = Stages()
    city = fresh_city()
    call_command("seed_care", stdout=open(os.devnull, "w"))  # noqa: SIM115
    stages.done("migrate")
    now = timezone.now()
    today = timezone.localdate(now)
    p = {"today": today, "now": now, "maxd": MAX_DAYS, "user": city.pk, "cases": cases, "contacts": contacts,
         "requests": requests, "persons": persons, "ncat": RequestCategory.objects.count(),
         "per_case": DECLARATIONS_PER_CASE}  # fmt: skip
    with connection.cursor() as cursor:
        bulk_session(cursor)
        with _indexes_dropped(cursor, "people_person"):
            registry.load_persons(total=persons)
            stages.done("persons")
        stages.done("person indexes")
        with _indexes_dropped(cursor, "cases_case"):
            cursor.execute(CASES_SQL, p)
            cursor.execute(CASE_OUTCOMES_SQL, p)
            stages.done("cases")
        cursor.execute(
            "UPDATE care_facility f SET occupied = n, beds = greatest(beds, n) FROM (SELECT facility_id, count(*) n "
            "FROM cases_case WHERE status = 'active' AND facility_id IS NOT NULL GROUP BY facility_id) o "
            "WHERE o.facility_id = f.id"
        )
        with _indexes_dropped(cursor, "monitoring_declaration"):
            step = 100_000
            for lo in range(1, cases + 1, step):
                cursor.execute(DECLARATIONS_SQL, {**p, "lo": lo, "hi": lo + step - 1})
            stages.done("declarations")
        stages.done("declaration indexes")
        cursor.execute(ALERTS_SQL, p)
        for table, sql in (("contacts_contact", CONTACTS_SQL), ("hotline_request", REQUESTS_SQL)):
            with _indexes_dropped(cursor, table):
                cursor.execute(sql, p)
        stages.done("alerts, contacts, requests")
        bulk_done(cursor, tables=("cases_case", "contacts_contact", "hotline_request", "monitoring_alert"))
        stages.done("vacuum analyze")
    return {"stages": stages.seconds, "seconds": stages.total, "built_at": now.isoformat()}


def finish_fixture() -> dict[str, Any]:
    """On every run: the migrations of the code being measured, the deaths, then the summary table from scratch
    (timed: that is `rebuild_tallies` over the whole city) and the levels of today."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(DEATHS_SQL, {"today": timezone.localdate()})
        cursor.execute(LAST_DECLARED_SQL)
        cursor.execute("VACUUM ANALYZE cases_case")
    t0 = time.perf_counter()
    call_command("rebuild_tallies", stdout=open(os.devnull, "w"))  # noqa: SIM115
    rebuild_s = round(time.perf_counter() - t0, 1)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE reports_wardday")
        cursor.execute(
            "SELECT count(*), pg_size_pretty(pg_total_relation_size('reports_wardday')) FROM reports_wardday"
        )
        rows, size = cursor.fetchone()
    call_command("assess_levels", "--weeks", "2", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return {"rebuild_tallies_s": rebuild_s, "wardday_rows": rows, "wardday_size": size}


def _users() -> dict[str, Any]:
    from django.db.models import Count

    from phongdich.accounts.models import User
    from phongdich.accounts.roles import Role
    from phongdich.accounts.services import user_create
    from phongdich.areas.models import Area
    from phongdich.cases.models import Case

    busiest = Area.objects.select_related("parent").get(
        pk=Case.objects.filter(status="active").values("ward").annotate(n=Count("id")).order_by("-n")[0]["ward"]
    )
    User.objects.filter(username__startswith="bench-").delete()
    return {
        "city": User.objects.get(username="bench"),
        "district": user_create(username="bench-district", password=None, role=Role.DISTRICT_OFFICER, area=busiest.parent),
        "ward": user_create(username="bench-ward", password=None, role=Role.WARD_OFFICER, area=busiest),
    }  # fmt: skip


def bench_pages(*, users: dict[str, Any], runs: int) -> dict[str, Any]:
    """Every page of the issue, per scope, end to end through the Django test client."""
    from django.test import Client
    from django.urls import reverse

    pages = {
        "dashboard": (reverse("dashboards:home"), ("city", "district", "ward")),
        "map": (reverse("dashboards:map"), ("city",)),
        "situation report (7 days)": (reverse("reports:situation"), ("city", "district", "ward")),
        "levels table": (reverse("levels:table"), ("city", "district")),
        "levels, what changed": (reverse("levels:changes"), ("city",)),
    }
    out: dict[str, Any] = {}
    for label, (url, scopes) in pages.items():
        for who in scopes:
            client = Client()
            client.force_login(users[who])

            def get(client: Client = client, url: str = url) -> None:
                response = client.get(url, secure=True)
                assert response.status_code == 200, (url, response.status_code)

            out[f"{label} · {who}"] = summary(timed(get, runs=runs))
    return out


def bench_ceiling(*, runs: int) -> dict[str, float]:
    """The floor under any city page: summing the summary table over the city for 30 days in bare SQL."""
    from django.db import connection
    from django.utils import timezone

    today = timezone.localdate()

    def bare() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT day, sum(new_community), sum(new_quarantine), sum(new_late), sum(home_in - home_out) "
                "FROM reports_wardday WHERE day BETWEEN %s AND %s GROUP BY day ORDER BY day",
                [today - timedelta(days=29), today],
            )
            cursor.fetchall()

    return summary(timed(bare, runs=runs))


def bench_levels(*, runs: int) -> dict[str, Any]:
    from django.utils import timezone

    from phongdich.levels.models import Assessment
    from phongdich.levels.services import levels_assess

    today = timezone.localdate()
    ms = timed(lambda: levels_assess(cutoff_on=today, kind="on_demand"), runs=runs, warmup=1)
    return {**summary(ms), "areas": Assessment.objects.filter(cutoff_on=today, kind="on_demand").count()}


def bench_xlsx(*, user: Any) -> dict[str, Any]:
    """The city's report for the last 7 days as xlsx through the background task (a worker process), enqueue →
    file ready, as the user waits for it."""
    import subprocess

    from django.utils import timezone

    from phongdich.areas.models import Area
    from phongdich.reports.models import ReportExport
    from phongdich.reports.services import report_export_create

    today = timezone.localdate()
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.05"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        time.sleep(3)  # the worker is up
        runs = []
        for _ in range(5):
            t0 = time.perf_counter()
            export = report_export_create(
                actor=user, area=Area.objects.get(code="01"), start=today - timedelta(days=6), end=today, today=today
            )
            while True:
                export.refresh_from_db()
                if export.status in ("done", "failed"):
                    break
                time.sleep(0.02)
            assert export.status == "done", export.error
            runs.append(round(time.perf_counter() - t0, 2))
    finally:
        worker.terminate()
        worker.wait()
    size = ReportExport.objects.get(pk=export.pk).file.size
    return {"seconds": runs, "median_s": statistics.median(runs), "max_s": max(runs), "bytes": size}


def measure(*, runs: int) -> dict[str, Any]:
    import psycopg

    users = _users()
    return {
        "env": {"date": time.strftime("%Y-%m-%d"), "python": platform.python_version(), "cpus": os.cpu_count(),
                "postgresql": psycopg.connect(DB_URL).info.server_version},
        "targets": TARGETS,
        "users": {who: str(u.area) for who, u in users.items()},
        "pages": bench_pages(users=users, runs=runs),
        "ceiling_wardday_city_30_days": bench_ceiling(runs=runs),
        "levels": bench_levels(runs=5),
        "xlsx": bench_xlsx(user=users["city"]),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=10_000_000)
    parser.add_argument("--cases", type=int, default=2_000_000)
    parser.add_argument("--contacts", type=int, default=500_000)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--reuse-fixture", action="store_true")
    parser.add_argument("--fixture-only", action="store_true")
    args = parser.parse_args()
    _setup()
    sizes = {"persons": args.persons, "cases": args.cases, "contacts": args.contacts, "requests": args.requests}
    result_path = ROOT / "bench" / "results" / "reports.json"
    previous = json.loads(result_path.read_text()) if result_path.exists() else {}
    if args.reuse_fixture and previous.get("sizes") == sizes:
        fixture = {**previous["fixture"], "reused": True}
    else:
        fixture = {**build_fixture(**sizes), "reused": False}
        result_path.write_text(json.dumps({"sizes": sizes, "fixture": fixture}, indent=2) + "\n")
    if args.fixture_only:
        return
    fixture["finish"] = finish_fixture()
    result = {"sizes": sizes, "fixture": fixture, **measure(runs=args.runs)}
    result_path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
