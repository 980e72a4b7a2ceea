"""F1 and hotline benchmarks (issue #4) on PostgreSQL: the request queues and the transmission tree.

The synthetic city: 2,500,000 persons, 400,000 F0, 2,000,000 F1 contacts (a tenth of them F2), 500,000 citizen
requests over 40 days (about 5 % still open, part of them overdue), and one 500-person cluster: an F0 with 99
contacts, 20 of whom became F0 with 20 contacts each. The fixture is built by SQL and is not measured.

Measured (the pages through the Django test client in-process, DEBUG off, beside the bare SQL of their selector):
- the request queue of the busiest ward, of its district and of the city (open, by due time; overdue tab);
- the transmission tree of the 500-person cluster (selector + layout, and the page with its SVG), beside the bare
  SQL that fetches its rows;
- for reference, the F1 list of the ward and of the city.

Run with `bash bench/run.sh --suite contacts` (or `python bench/contacts.py`); it recreates the database named in
BENCH_CONTACTS_DATABASE_URL. `--reuse-fixture` keeps a fixture built before with the same sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script, `bench` must be the package, not bench/bench.py

from bench.fixture import bare_sql, p95, summary, timed  # noqa: E402

DB_URL = os.environ.get("BENCH_CONTACTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/phongdich_bench_contacts")
TARGETS = {"queue_p95_ms": 100, "tree_p95_ms": 300}
MAX_DAYS = 40  # requests and contacts reach this many days back
CLUSTER_F1, CLUSTER_CONVERTED, CLUSTER_F1_EACH = 99, 20, 20  # 1 + 99 + 20 × 20 = 500 persons


def _setup() -> None:
    os.environ["BENCH_DATABASE_URL"] = DB_URL  # bench.bench reads it (and sets DATABASE_URL) on import
    os.environ["DJANGO_DEBUG"] = "0"  # DEBUG would record every query of the in-process pages
    os.environ["DJANGO_SECRET_KEY"] = "bench-only-secret-key-not-for-production-0123456789"  # noqa: S105
    sys.path.insert(0, str(ROOT))
    import django

    from bench import bench as registry  # noqa: F401  (environment of the in-process measurements)

    django.setup()


# --- fixture ---------------------------------------------------------------------------------------------------

CASES_SQL = """
INSERT INTO cases_case (id, code, person_id, ward_id, confirmed_on, sampled_on, test_kind, source, status, age,
    high_risk, vaccine_doses, last_dose_on, breastfeeding, conditions_stable, can_self_care, eligibility, place,
    facility_id, severity, last_declared_at, last_alert_level, worsened, assigned_to_id, release_due_on, released_on,
    version, created_at, created_by_id, import_job_id)
SELECT p.id, 'F0-' || lpad(p.id::text, 7, '0'), p.id, p.ward_id, conf, conf, 'rapid_antigen', 'community',
    CASE WHEN conf < %(today)s - 10 THEN 'released' ELSE 'active' END,
    date_part('year', conf)::int - p.birth_year, false, 2, NULL, false, false, true, '{}'::jsonb, 'home', NULL, '',
    NULL, 0, false, NULL, conf + 7, CASE WHEN conf < %(today)s - 10 THEN conf + 10 END, 1,
    (conf + time '10:00') AT TIME ZONE 'Asia/Ho_Chi_Minh', %(user)s, NULL
FROM people_person p,
    LATERAL (SELECT %(today)s - (abs(hashint8extended(p.id, 31)) %% %(maxd)s)::int AS conf) x
WHERE p.id <= %(cases)s AND p.ward_id IS NOT NULL
"""

# Contacts: persons after the F0, five per F0; every tenth an F2 of the F1 just before it. Status by the age of the
# contact: quarantine (≤ 7 days), monitoring (≤ 14), then released.
CONTACTS_SQL = """
INSERT INTO contacts_contact (id, person_id, ward_id, source_case_id, source_contact_id, generation, setting, kind,
    contacted_on, quarantine_rule_set, quarantine_until, monitor_until, test_days, test_when_symptomatic,
    plan_reasons, vaccine_doses, last_dose_on, fully_vaccinated, recovered_on, status, next_test_on, last_test_on,
    last_checked_on, needs_test, symptomatic_on, positive_on, quarantine_ended_on, released_on, converted_case_id,
    cluster_id, assigned_to_id, version, created_by_id, created_at)
SELECT n, p.id, p.ward_id,
    CASE WHEN f2 THEN NULL ELSE src END, CASE WHEN f2 THEN n - 1 END, CASE WHEN f2 THEN 2 ELSE 1 END,
    (ARRAY['household','household','workplace','school','other'])[1 + n %% 5],
    (ARRAY['physical','masked_near','unmasked_near','care'])[1 + n %% 4],
    day, 'QUARANTINE-762', day + 6, day + 9, jsonb_build_array(day + 6), false, '[]'::jsonb, 2, NULL, true, NULL,
    CASE WHEN day > %(today)s - 7 THEN 'quarantine' WHEN day > %(today)s - 14 THEN 'monitoring' ELSE 'released' END,
    CASE WHEN day > %(today)s - 7 THEN day + 6 END, NULL, NULL, false, NULL, NULL,
    CASE WHEN day <= %(today)s - 7 THEN day + 6 END, CASE WHEN day <= %(today)s - 14 THEN day + 9 END, NULL,
    NULL, NULL, 1, %(user)s, (day + time '12:00') AT TIME ZONE 'Asia/Ho_Chi_Minh'
FROM (
    SELECT c.n, c.n + %(cases)s AS person_id, 1 + (c.n - 1) / 5 AS src, c.n %% 10 = 0 AS f2,
        %(today)s - (abs(hashint8extended((1 + (c.n - 1) / 5)::bigint, 31)) %% %(maxd)s)::int
            + (c.n %% 3)::int AS day
    FROM generate_series(1, %(contacts)s) AS c(n)
) c
JOIN people_person p ON p.id = c.person_id
"""

REQUESTS_SQL = """
INSERT INTO hotline_request (id, code, category_id, channel, caller_name, caller_phone, caller_address, ward_id,
    message, status, created_at, created_by_id, due_at, assigned_to_id, answered_at, answered_by_id, answer,
    closed_at, transferred_to, escalated_at, repeat_of_id, external_ref, version)
SELECT r.n, 'B' || lpad(r.n::text, 7, '0'), cat.id,
    (ARRAY['phone','phone','phone','web','zalo','facebook'])[1 + r.n %% 6], p.full_name, p.phone, p.address,
    p.ward_id, 'Yêu cầu hỗ trợ số ' || r.n, st, at, NULL, at + make_interval(mins => cat.deadline_minutes),
    NULL, CASE WHEN st IN ('answered', 'closed') THEN at + make_interval(mins => (r.h %% (cat.deadline_minutes * 2))::int) END,
    CASE WHEN st IN ('answered', 'closed') THEN %(user)s::bigint END,
    CASE WHEN st IN ('answered', 'closed') THEN 'Đã trả lời.' ELSE '' END,
    CASE WHEN st = 'closed' THEN at + interval '2 days' END, '',
    CASE WHEN st IN ('new', 'assigned') AND at + make_interval(mins => cat.deadline_minutes) < %(now)s
         THEN at + make_interval(mins => cat.deadline_minutes + 1) END,
    NULL, NULL, 1
FROM (
    SELECT g.n, abs(hashint8extended(g.n, 41)) AS h,
        -- The newest requests come last (ids in time order); open ones are the last ~5 %%.
        %(now)s - make_interval(secs => ((%(requests)s - g.n)::float8 * %(maxd)s * 86400 / %(requests)s)) AS at,
        CASE WHEN g.n > %(requests)s * 95 / 100
             THEN (ARRAY['new','new','assigned','in_progress'])[1 + g.n %% 4]
             WHEN g.n %% 2 = 0 THEN 'closed' ELSE 'answered' END AS st
    FROM generate_series(1, %(requests)s) AS g(n)
) r
JOIN people_person p ON p.id = 1 + r.h %% %(persons)s
JOIN LATERAL (
    SELECT id, deadline_minutes FROM hotline_requestcategory ORDER BY id OFFSET (r.h / 7) %% %(ncat)s LIMIT 1
) cat ON true
"""


def build_fixture(*, persons: int, cases: int, contacts: int, requests: int) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from bench import bench as registry
    from bench.fixture import Stages, bulk_done, bulk_session, fresh_city
    from bench.homecare import _indexes_dropped
    from phongdich.hotline.models import RequestCategory

    stages = Stages()
    city = fresh_city()
    stages.done("migrate")
    now = timezone.now()
    today = timezone.localdate(now)
    p = {"today": today, "now": now, "maxd": MAX_DAYS, "user": city.pk, "cases": cases, "contacts": contacts,
         "requests": requests, "persons": persons, "ncat": RequestCategory.objects.count()}  # fmt: skip
    with connection.cursor() as cursor:
        bulk_session(cursor)
        with _indexes_dropped(cursor, "people_person"):
            registry.load_persons(total=persons)
            stages.done("persons")
        stages.done("person indexes")
        for table, sql in (
            ("cases_case", CASES_SQL),
            ("contacts_contact", CONTACTS_SQL),
            ("hotline_request", REQUESTS_SQL),
        ):
            with _indexes_dropped(cursor, table):
                cursor.execute(sql, p)
            stages.done(table)
        bulk_done(cursor, tables=("cases_case", "contacts_contact", "hotline_request"))
        stages.done("vacuum analyze")
    cluster_id = _build_cluster(city=city, today=today, first_free=cases + contacts + 1)
    stages.done("cluster")
    return {"stages": stages.seconds, "seconds": stages.total, "cluster_id": cluster_id, "built_at": now.isoformat()}


def _build_cluster(*, city: Any, today: Any, first_free: int) -> int:
    """A 500-person cluster through the real services: F0 → 99 F1, 20 of whom become F0 with 20 F1 each."""
    from phongdich.cases.models import Case
    from phongdich.contacts.clusters import cluster_create
    from phongdich.contacts.models import Contact
    from phongdich.contacts.services import contact_record
    from phongdich.contacts.tracking import contact_convert_to_case, contact_test_record
    from phongdich.people.models import Person

    root = Case.objects.filter(status="active").order_by("-id").first()
    contacted_on = today - timedelta(days=2)
    cluster = cluster_create(actor=city, name="Ổ dịch benchmark 500 người", kind="workplace", ward=root.ward)
    free = iter(Person.objects.filter(id__gte=first_free).order_by("id").values_list("id", flat=True))

    def record(source_case: Case) -> Contact:
        person = Person.objects.get(pk=next(free))
        contact, _created = contact_record(
            actor=city, source_case=source_case, person=person, setting="workplace", kind="unmasked_near",
            contacted_on=contacted_on, cluster=cluster,
        )  # fmt: skip
        return contact

    first = [record(root) for _ in range(CLUSTER_F1)]
    for contact in first[:CLUSTER_CONVERTED]:
        contact_test_record(
            actor=city, contact=contact, tested_on=today - timedelta(days=1), kind="rapid_antigen", positive=True
        )
        contact.refresh_from_db()
        case = contact_convert_to_case(actor=city, contact=contact, expected_version=contact.version)
        for _ in range(CLUSTER_F1_EACH):
            record(case)
    return cluster.pk


# --- measurements ----------------------------------------------------------------------------------------------


def bench_queues(*, users: dict[str, Any], runs: int) -> dict[str, Any]:
    """The request queue pages (first page, open by due time; the overdue tab) beside their selector's bare SQL."""
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from phongdich.hotline.selectors import RequestFilters, request_queue

    url = reverse("hotline:queue")
    scenarios = {
        "ward, open": ("ward", {}, RequestFilters()),
        "ward, overdue": ("ward", {"tab": "overdue"}, RequestFilters(tab="overdue")),
        "district, open": ("district", {}, RequestFilters()),
        "district, overdue": ("district", {"tab": "overdue"}, RequestFilters(tab="overdue")),
        "city (hotline), open": ("hotline", {}, RequestFilters()),
        "city (hotline), overdue": ("hotline", {"tab": "overdue"}, RequestFilters(tab="overdue")),
    }
    out: dict[str, Any] = {}
    for label, (who, params, filters) in scenarios.items():
        client = Client()
        client.force_login(users[who])

        def get(client: Client = client, params: dict[str, str] = params) -> None:
            response = client.get(url, params, secure=True)
            assert response.status_code == 200, response.status_code

        qs = request_queue(user=users[who], filters=filters, now=timezone.now())
        count_sql, count_params = qs.order_by().values("pk").query.sql_with_params()
        page_sql, page_params = qs[:50].query.sql_with_params()

        def bare(cs: str = count_sql, cp: Any = count_params, ps: str = page_sql, pp: Any = page_params) -> None:
            bare_sql(f"SELECT count(*) FROM ({cs}) t", cp)
            bare_sql(ps, pp)

        out[label] = summary(
            timed(get, runs=runs), ceiling_bare_sql_p95_ms=round(p95(timed(bare, runs=runs)), 1),
            rows=qs.count(),
        )  # fmt: skip
    return out


def bench_tree(*, user: Any, cluster_id: int, runs: int) -> dict[str, Any]:
    """The 500-person cluster's tree: selector + layout, the page, and the bare SQL of its rows."""
    from django.test import Client
    from django.urls import reverse

    from phongdich.contacts.models import Contact
    from phongdich.contacts.tree import transmission_tree

    tree = transmission_tree(user=user, cluster=cluster_id)
    client = Client()
    client.force_login(user)
    url = reverse("contacts:tree")

    def page() -> None:
        response = client.get(url, {"cluster": cluster_id}, secure=True)
        assert response.status_code == 200, response.status_code

    rows_sql, rows_params = Contact.objects.filter(cluster_id=cluster_id).values().query.sql_with_params()
    return {
        "nodes": len(tree.nodes), "edges": len(tree.edges), "counts": tree.counts,
        "selector": summary(timed(lambda: transmission_tree(user=user, cluster=cluster_id), runs=runs)),
        "page": summary(timed(page, runs=runs)),
        "ceiling_bare_sql_p95_ms": round(p95(timed(lambda: bare_sql(rows_sql, rows_params), runs=runs)), 1),
    }  # fmt: skip


def bench_contact_lists(*, users: dict[str, Any], runs: int) -> dict[str, Any]:
    """For reference (no target in the issue): the F1 list page of the ward and of the city."""
    from django.test import Client
    from django.urls import reverse

    out = {}
    for who in ("ward", "city"):
        client = Client()
        client.force_login(users[who])

        def get(client: Client = client) -> None:
            response = client.get(reverse("contacts:list"), secure=True)
            assert response.status_code == 200, response.status_code

        out[who] = summary(timed(get, runs=runs))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=2_500_000)
    parser.add_argument("--cases", type=int, default=400_000)
    parser.add_argument("--contacts", type=int, default=2_000_000)
    parser.add_argument("--requests", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--reuse-fixture", action="store_true")
    args = parser.parse_args()
    _setup()
    import psycopg
    from django.db.models import Count

    from phongdich.accounts.models import User
    from phongdich.accounts.roles import Role
    from phongdich.accounts.services import user_create
    from phongdich.areas.models import Area
    from phongdich.contacts.models import Cluster, Contact
    from phongdich.hotline.models import OPEN, Request

    sizes = {"persons": args.persons, "cases": args.cases, "contacts": args.contacts, "requests": args.requests}
    result_path = ROOT / "bench" / "results" / "contacts.json"
    previous = json.loads(result_path.read_text()) if result_path.exists() else {}
    if args.reuse_fixture and previous.get("sizes") == sizes and Cluster.objects.exists():
        fixture = {**previous["fixture"], "reused": True}
    else:
        fixture = {**build_fixture(**sizes), "reused": False}
    cluster_id = fixture["cluster_id"]
    busiest = Area.objects.select_related("parent").get(
        pk=Request.objects.filter(status__in=OPEN).values("ward").annotate(n=Count("id")).order_by("-n")[0]["ward"]
    )
    User.objects.filter(username__startswith="bench-").delete()
    users = {
        "city": User.objects.get(username="bench"),
        "hotline": user_create(username="bench-hotline", password=None, role=Role.HOTLINE, area=busiest.parent.parent),
        "district": user_create(username="bench-district", password=None, role=Role.DISTRICT_OFFICER, area=busiest.parent),
        "ward": user_create(username="bench-ward", password=None, role=Role.WARD_OFFICER, area=busiest),
    }  # fmt: skip
    loaded = {
        "contacts": Contact.objects.count(), "requests": Request.objects.count(),
        "open_requests": Request.objects.filter(status__in=OPEN).count(), "busiest_ward": busiest.name,
        "open_requests_in_busiest_ward": Request.objects.filter(status__in=OPEN, ward=busiest).count(),
    }  # fmt: skip
    result = {
        "env": {"date": time.strftime("%Y-%m-%d"), "python": platform.python_version(), "cpus": os.cpu_count(),
                "postgresql": psycopg.connect(DB_URL).info.server_version},
        "sizes": sizes, "fixture": fixture, "loaded": loaded, "targets": TARGETS,
        "queues": bench_queues(users=users, runs=args.runs),
        "tree": bench_tree(user=users["city"], cluster_id=cluster_id, runs=args.runs // 2),
        "contact_lists": bench_contact_lists(users=users, runs=args.runs // 2),
    }  # fmt: skip
    result_path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps({k: result[k] for k in ("loaded", "queues", "tree")}, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
