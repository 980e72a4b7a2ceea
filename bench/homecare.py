"""Home-care benchmarks (issue #3) on PostgreSQL: declarations over HTTP, the alert and follow-up queues, the F0 timeline.

The synthetic city: 300,000 F0 under home care and 10,000,000 stored declarations (a fixture built by SQL, not
measured). Then:

- HTTP: a real gunicorn server and, beside it on the same cores, an asyncio HTTP/1.1 keep-alive load generator
  (standard library only) post declarations through the personal-link form, the personal-link API and the
  staff API; the server's rate for `GET /healthz` in the same run is the ceiling. Stored rows are counted after.
- Queues and timeline: the pages through the Django test client in-process (DEBUG off), beside the bare SQL of
  their selectors.

Run with `bash bench/run.sh --suite homecare` (or `python bench/homecare.py`); it recreates the database named in
BENCH_HOMECARE_DATABASE_URL. `--reuse-fixture` keeps a fixture built before with the same sizes.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import platform
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
DB_URL = os.environ.get("BENCH_HOMECARE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/phongdich_bench_homecare")
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
HOST = "127.0.0.1"
PORT = int(os.environ.get("BENCH_HOMECARE_PORT", "8765"))
# The fixture reaches this many days back: confirmation dates are spread over days 0..MAX_DAYS ago.
MAX_DAYS = 35
# Declarations of the fixture, by global half-day slot g: day = today - MAX_DAYS + g // 2, morning when g is even.
MORNING_HOUR, EVENING_HOUR = 7, 19
# Share (per 10,000) of each alert level among the declarations of most F0 (pool 0) and of the sicker 10 % (pool 1).
LEVEL_WEIGHTS = {0: {0: 8750, 1: 1200, 2: 45, 3: 5}, 1: {0: 5000, 1: 3700, 2: 1000, 3: 300}}
SICKER_PERCENT = 10
STAFF_PERCENT = 15  # declarations entered by staff (khai hộ); the rest through the personal link
NEVER_PER_MILLE, SILENT_PER_MILLE = 10, 50
TARGETS = {"submit_rps": 1000, "submit_p99_ms": 200, "queue_p95_ms": 100, "timeline_p95_ms": 100}
# The server runs with production settings except for these (all load comes from 127.0.0.1).
RATE_UNLIMITED = str(10**9)
SECRET = "bench-only-secret-key-not-for-production-0123456789"  # noqa: S105
RESULT_MARKER = "Đã nhận khai báo".encode()
LINK_SAMPLE = 20_000


def link_token(case_id: int) -> str:
    """The raw personal-link token the fixture gives each case (only its hash is stored, like a real one)."""
    return hashlib.sha256(f"phongdich-bench-link-{case_id}".encode()).hexdigest()[:32]


# --- fixture ---------------------------------------------------------------------------------------------------


def _vitals_templates(*, on: date) -> list[dict[str, Any]]:
    """A pool of plausible health sheets triaged once by the rules in force; the fixture reuses their results."""
    from phongdich.rules.triage import Vitals, triage, vitals_check

    rnd = random.Random(3)
    mild = ["dry_cough", "sore_throat", "stuffy_nose", "fatigue", "headache", "muscle_ache", "runny_nose",
            "loss_of_smell", "loss_of_taste"]  # fmt: skip
    out = []
    for kind in ("normal", "mild", "urgent", "emergency") * 150:
        spo2, rr, pulse = rnd.randint(97, 99), rnd.randint(14, 19), rnd.randint(62, 98)
        temp, again, symptoms = round(rnd.uniform(36.0, 37.4), 1), None, set()
        if kind == "mild":
            symptoms = set(rnd.sample(mild, rnd.randint(1, 3)))
            if rnd.random() < 0.4:
                temp = round(rnd.uniform(37.6, 38.9), 1)
                symptoms.add("fever")
        elif kind == "urgent":
            choice = rnd.randrange(3)
            if choice == 0:
                spo2 = again = rnd.randint(95, 96)
            elif choice == 1:
                rr = rnd.randint(20, 24)
            else:
                pulse = rnd.randint(121, 130)
            symptoms = set(rnd.sample(mild, rnd.randint(0, 2)))
        elif kind == "emergency":
            spo2 = again = rnd.randint(88, 93)
            rr = rnd.randint(22, 30)
            symptoms = {rnd.choice(["dyspnoea", "chest_pain", "fatigue"])}
        vitals = Vitals(resp_rate=rr, pulse=pulse, temperature=temp, spo2=spo2, spo2_remeasured=again,
                        symptoms=frozenset(symptoms))  # fmt: skip
        vitals_check(vitals)
        result = triage(vitals=vitals, age=40, on=on)
        out.append({"level": result.level, "severity": result.severity, "spo2": spo2, "spo2_remeasured": again,
                    "resp_rate": rr, "pulse": pulse, "temperature": temp, "symptoms": sorted(symptoms),
                    "signs": [{"code": s.code, "text": str(s.text)} for s in result.signs],
                    "rule_sets": list(result.rule_sets)})  # fmt: skip
    return out


def _slot_table(templates: list[dict[str, Any]]) -> list[tuple[int, int, int]]:
    """(pool, slot 0..9999, template id): drawing a slot uniformly draws a template with the pool's level weights."""
    rnd = random.Random(4)
    by_level: dict[int, list[int]] = {}
    for i, t in enumerate(templates):
        by_level.setdefault(t["level"], []).append(i)
    rows = []
    for pool, weights in LEVEL_WEIGHTS.items():
        slot = 0
        for level, share in weights.items():
            ids = by_level.get(level) or by_level[max(lvl for lvl in by_level if lvl <= level)]
            for _ in range(share):
                rows.append((pool, slot, rnd.choice(ids)))
                slot += 1
    return rows


def _now_slot(now: datetime, today: date) -> int:
    """The last half-day slot whose declaration time has begun."""
    base = today - timedelta(days=MAX_DAYS)
    local = now.astimezone(ZONE)
    g = 2 * MAX_DAYS + 1
    while g >= 0:
        day = base + timedelta(days=g // 2)
        start = datetime(day.year, day.month, day.day, MORNING_HOUR if g % 2 == 0 else EVENING_HOUR, tzinfo=ZONE)
        if start <= local:
            return g
        g -= 1
    raise RuntimeError("no slot")


@contextmanager
def _indexes_dropped(cursor: Any, table: str) -> Iterator[None]:
    """Load `table` without its secondary indexes and rebuild them after (the same definitions, much faster)."""
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname "
        "JOIN pg_index x ON x.indexrelid = c.oid WHERE i.tablename = %s AND NOT x.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)",
        [table],
    )
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    yield
    for _name, definition in indexes:
        cursor.execute(definition)


def build_fixture(*, cases: int) -> dict[str, Any]:
    """300,000 persons, as many active home F0, ~33 declarations each (twice a day), alerts, links, audit rows."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bench import bench as registry
    from phongdich.accounts.roles import Role
    from phongdich.accounts.services import user_create
    from phongdich.areas.models import Area
    from phongdich.rules.registry import rule_set_in_force

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
    registry.load_persons(total=cases)
    t = stage("persons", t)

    now = timezone.now()
    today = timezone.localdate(now)
    base = today - timedelta(days=MAX_DAYS)
    cap = now - timedelta(minutes=1)
    now_slot = _now_slot(now, today)
    eligibility_code = rule_set_in_force(kind="eligibility", on=today).code
    p = {"today": today, "base": base, "cap": cap, "now": now, "now_slot": now_slot, "maxd": MAX_DAYS,
         "user": city.pk, "elig": eligibility_code}  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET work_mem = '256MB'")
        # Foreign keys are consistent by construction; checking them row by row would triple the load time.
        cursor.execute("SET session_replication_role = replica")
        with _indexes_dropped(cursor, "cases_case"):
            cursor.execute(
                """
                INSERT INTO cases_case (id, code, person_id, ward_id, confirmed_on, sampled_on, test_kind, source,
                    status, age, high_risk, vaccine_doses, last_dose_on, breastfeeding, conditions_stable,
                    can_self_care, eligibility, place, facility_id, severity, last_declared_at, last_alert_level,
                    worsened, assigned_to_id, release_due_on, released_on, version, created_at, created_by_id,
                    import_job_id)
                SELECT id, 'F0-' || lpad(id::text, 7, '0'), id, ward_id, conf, conf - (h %% 2)::int,
                    CASE WHEN h %% 10 < 7 THEN 'rapid_antigen' ELSE 'rt_pcr' END, 'community', 'active', age,
                    age >= 50 OR pregnant, doses, CASE WHEN doses > 0 THEN conf - 60 - (h / 7 %% 300)::int END,
                    false, false, true,
                    jsonb_build_object('eligible', true, 'reasons', '[]'::jsonb, 'rule_set', %(elig)s::text,
                                       'decided_on', conf),
                    'home', NULL, '', NULL, 0, false, NULL,
                    CASE WHEN d <= 7 THEN conf + 7 WHEN h / 100 %% 100 < 15 THEN %(today)s - (h / 10000 %% 2)::int
                         ELSE %(today)s + 1 + (h / 10000 %% 3)::int END,
                    NULL, 1, (conf + time '10:00') AT TIME ZONE 'Asia/Ho_Chi_Minh', %(user)s, NULL
                FROM (
                    SELECT p.id, p.ward_id, p.pregnant, x.h, x.d, %(today)s - x.d AS conf,
                        coalesce(date_part('year', age(%(today)s - x.d, p.birth_date)),
                                 date_part('year', %(today)s - x.d) - p.birth_year)::int AS age,
                        CASE WHEN x.h / 1000 %% 100 < 4 THEN 0 WHEN x.h / 1000 %% 100 < 10 THEN 1
                             WHEN x.h / 1000 %% 100 < 70 THEN 2 ELSE 3 END AS doses
                    FROM people_person p,
                        LATERAL (SELECT abs(hashint8extended(p.id, 11)) AS h,
                                        (abs(hashint8extended(p.id, 12)) %% (%(maxd)s + 1))::int AS d) x
                    WHERE p.ward_id IS NOT NULL
                ) s
                """,
                p,
            )
        cursor.execute("ANALYZE cases_case")
        cursor.execute(
            "INSERT INTO cases_casecodecounter (province_code, last) SELECT '01', max(id) FROM cases_case "
            "ON CONFLICT (province_code) DO UPDATE SET last = EXCLUDED.last"
        )
        t = stage("cases", t)

        cursor.execute("SELECT ward_id FROM cases_case GROUP BY ward_id ORDER BY count(*) DESC, ward_id LIMIT 1")
        busiest = Area.objects.select_related("parent").get(pk=cursor.fetchone()[0])
        ward_user = user_create(username="bench-ward", password=None, role=Role.WARD_OFFICER, area=busiest)
        user_create(username="bench-district", password=None, role=Role.DISTRICT_OFFICER, area=busiest.parent)
        p["staff"] = ward_user.pk

        templates = _vitals_templates(on=today)
        cursor.execute(
            "CREATE TEMP TABLE bench_tpl (id int PRIMARY KEY, level smallint, severity text, spo2 smallint, "
            "spo2_remeasured smallint, resp_rate smallint, pulse smallint, temperature numeric(3,1), "
            "symptoms jsonb, signs jsonb, rule_sets jsonb)"
        )
        with cursor.cursor.copy("COPY bench_tpl FROM STDIN") as copy:
            for i, tp in enumerate(templates):
                copy.write_row((i, tp["level"], tp["severity"], tp["spo2"], tp["spo2_remeasured"], tp["resp_rate"],
                                tp["pulse"], tp["temperature"], json.dumps(tp["symptoms"]),
                                json.dumps(tp["signs"], ensure_ascii=False), json.dumps(tp["rule_sets"])))  # fmt: skip
        cursor.execute("CREATE TEMP TABLE bench_slot (pool smallint, slot int, tpl int, PRIMARY KEY (pool, slot))")
        with cursor.cursor.copy("COPY bench_slot FROM STDIN") as copy:
            for row in _slot_table(templates):
                copy.write_row(row)
        # One row per case: its pool and the first and last half-day slot it declared in.
        cursor.execute(
            """
            CREATE TEMP TABLE bench_plan AS
            SELECT id AS case_id,
                (abs(hashint8extended(id, 13)) %% 100 < %(sicker)s)::int::smallint AS pool,
                2 * (%(maxd)s - (%(today)s - confirmed_on)) + 1 AS first_slot,
                CASE WHEN abs(hashint8extended(id, 14)) %% 1000 < %(never)s THEN -1
                     WHEN abs(hashint8extended(id, 14)) %% 1000 < %(never)s + %(silent)s
                         THEN %(now_slot)s - 2 - (abs(hashint8extended(id, 15)) %% 8)::int
                     ELSE %(now_slot)s END AS last_slot
            FROM cases_case
            """,
            {**p, "sicker": SICKER_PERCENT, "never": NEVER_PER_MILLE, "silent": SILENT_PER_MILLE},
        )
        cursor.execute("ANALYZE bench_plan")
        cursor.execute(
            """
            CREATE FUNCTION pg_temp.bench_at(g int, cid bigint, base date, cap timestamptz) RETURNS timestamptz
            LANGUAGE sql IMMUTABLE AS $$
              SELECT least((base + g / 2 + CASE WHEN g % 2 = 0 THEN time '07:00' ELSE time '19:00' END
                            + make_interval(secs => abs(hashint8extended(cid * 100 + g, 23)) % 10800))
                           AT TIME ZONE 'Asia/Ho_Chi_Minh', cap)
            $$
            """
        )
        t = stage("plan", t)

        # Slot after slot, so the table is in time order as a real one would be (a case's sheets lie apart).
        with _indexes_dropped(cursor, "monitoring_declaration"):
            for g in range(now_slot + 1):
                cursor.execute(
                    """
                    INSERT INTO monitoring_declaration (case_id, declared_at, period, resp_rate, pulse, temperature,
                        spo2, spo2_remeasured, bp_systolic, bp_diastolic, symptoms, note, channel, entered_by_id,
                        alert_level, severity, signs, rule_sets)
                    SELECT p.case_id, pg_temp.bench_at(%(g)s, p.case_id, %(base)s, %(cap)s), %(period)s,
                        t.resp_rate, t.pulse, t.temperature, t.spo2, t.spo2_remeasured, NULL, NULL, t.symptoms, '',
                        CASE WHEN st THEN 'staff' ELSE 'link' END, CASE WHEN st THEN %(staff)s::bigint END,
                        t.level, t.severity, t.signs, t.rule_sets
                    FROM (SELECT *, abs(hashint8extended(case_id * 100 + %(g)s, 22)) %% 100 < %(staffpct)s AS st,
                                 abs(hashint8extended(case_id * 100 + %(g)s, 21)) %% 10000 AS slot
                          FROM bench_plan WHERE %(g)s BETWEEN first_slot AND last_slot) p
                    JOIN bench_slot s ON s.pool = p.pool AND s.slot = p.slot
                    JOIN bench_tpl t ON t.id = s.tpl
                    """,
                    {**p, "g": g, "period": "am" if g % 2 == 0 else "pm", "staffpct": STAFF_PERCENT},
                )
            t = stage("declarations", t)
        t = stage("declaration index", t)

        # The follow-up columns, exactly as declaration_submit would have left them after the last two sheets.
        cursor.execute(
            """
            UPDATE cases_case c SET last_declared_at = pg_temp.bench_at(p.last_slot, c.id, %(base)s, %(cap)s),
                last_alert_level = tl.level, worsened = tl.level > coalesce(tp.level, 0), severity = tl.severity
            FROM bench_plan p
            JOIN bench_slot sl ON sl.pool = p.pool
                AND sl.slot = abs(hashint8extended(p.case_id * 100 + p.last_slot, 21)) %% 10000
            JOIN bench_tpl tl ON tl.id = sl.tpl
            LEFT JOIN bench_slot sp ON p.last_slot > p.first_slot AND sp.pool = p.pool
                AND sp.slot = abs(hashint8extended(p.case_id * 100 + p.last_slot - 1, 21)) %% 10000
            LEFT JOIN bench_tpl tp ON tp.id = sp.tpl
            WHERE c.id = p.case_id AND p.last_slot >= p.first_slot
            """,
            p,
        )
        # Open alerts: the F0 whose latest sheet is urgent or an emergency; a third already taken by the station,
        # emergencies left untaken 30 minutes escalated (as alerts_escalate does).
        cursor.execute(
            """
            INSERT INTO monitoring_alert (case_id, ward_id, declaration_id, level, signs, created_at, raised_at,
                status, acknowledged_at, acknowledged_by_id, handled_at, handled_by_id, action, note, escalated_at,
                version)
            SELECT c.id, c.ward_id, d.id, d.alert_level, d.signs, d.declared_at, d.declared_at, x.status,
                CASE WHEN x.status = 'acknowledged' THEN least(d.declared_at + interval '15 minutes', %(cap)s) END,
                CASE WHEN x.status = 'acknowledged' THEN %(staff)s::bigint END, NULL, NULL, '', '',
                CASE WHEN d.alert_level = 3 AND x.status = 'open' AND d.declared_at < %(now)s - interval '30 minutes'
                     THEN d.declared_at + interval '30 minutes' END,
                CASE WHEN x.status = 'acknowledged' THEN 2 ELSE 1 END
            FROM cases_case c
            JOIN monitoring_declaration d ON d.case_id = c.id AND d.declared_at = c.last_declared_at,
            LATERAL (SELECT CASE WHEN abs(hashint8extended(c.id, 16)) %% 3 = 0 THEN 'acknowledged' ELSE 'open' END
                     AS status) x
            WHERE c.last_alert_level >= 2
            """,
            p,
        )
        # Handled alerts of the last two days (the "handled today" tab, time to first action).
        cursor.execute(
            """
            INSERT INTO monitoring_alert (case_id, ward_id, declaration_id, level, signs, created_at, raised_at,
                status, acknowledged_at, acknowledged_by_id, handled_at, handled_by_id, action, note, escalated_at,
                version)
            SELECT d.case_id, c.ward_id, d.id, d.alert_level, d.signs, d.declared_at, d.declared_at, 'handled',
                d.declared_at + interval '10 minutes', %(staff)s, least(d.declared_at + interval '40 minutes', %(cap)s),
                %(staff)s, 'tu_van_dien_thoai', 'Đã gọi điện tư vấn, hẹn đo lại SpO2.', NULL, 3
            FROM monitoring_declaration d JOIN cases_case c ON c.id = d.case_id
            WHERE d.declared_at > %(now)s - interval '2 days' AND d.alert_level >= 2
                AND d.declared_at < c.last_declared_at
            """,
            p,
        )
        t = stage("cases follow-up columns and alerts", t)
        with _indexes_dropped(cursor, "monitoring_patientlink"):
            cursor.execute(
                """
                INSERT INTO monitoring_patientlink (case_id, token_hash, created_at, created_by_id, revoked_at,
                    revoked_by_id)
                SELECT id, encode(sha256(convert_to(
                           substr(encode(sha256(convert_to('phongdich-bench-link-' || id, 'UTF8')), 'hex'), 1, 32),
                           'UTF8')), 'hex'),
                    created_at, %(staff)s, NULL, NULL
                FROM cases_case
                """,
                p,
            )
        t = stage("patient links", t)
        # Every declaration is audited by declaration_submit: the audit table holds as many rows.
        with _indexes_dropped(cursor, "audit_auditlog"):
            cursor.execute(
                """
                INSERT INTO audit_auditlog (event_time, event, target_type, target_id, changes, extra, actor_id,
                    area_id)
                SELECT d.declared_at, 1, 'declaration', d.id,
                    jsonb_build_object('case', d.case_id, 'channel', d.channel, 'alert_level', d.alert_level),
                    jsonb_build_object('alert', NULL, 'rule_sets', d.rule_sets), d.entered_by_id, c.ward_id
                FROM monitoring_declaration d JOIN cases_case c ON c.id = d.case_id
                """
            )
            t = stage("audit rows", t)
        t = stage("audit indexes", t)
        cursor.execute("SET session_replication_role = DEFAULT")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    t = stage("vacuum analyze", t)
    return {"seconds": round(time.perf_counter() - started, 1), "stages": stages, "built_at": now.isoformat()}


def fixture_summary() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM cases_case WHERE status = 'active' AND place = 'home'),"
            " (SELECT reltuples::bigint FROM pg_class WHERE relname = 'monitoring_declaration'),"
            " (SELECT count(*) FROM monitoring_alert WHERE status IN ('open', 'acknowledged')),"
            " (SELECT count(*) FROM monitoring_alert WHERE status = 'handled'),"
            " (SELECT count(*) FROM monitoring_patientlink),"
            " (SELECT reltuples::bigint FROM pg_class WHERE relname = 'audit_auditlog'),"
            " pg_size_pretty(pg_total_relation_size('monitoring_declaration')),"
            " pg_size_pretty(pg_database_size(current_database()))"
        )
        row = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM monitoring_declaration")
        declarations = cursor.fetchone()[0]
    keys = ("home_f0", "declarations_estimate", "open_alerts", "handled_alerts", "patient_links", "audit_rows",
            "declaration_table_size", "database_size")  # fmt: skip
    out = dict(zip(keys, row, strict=True))
    out["declarations"] = declarations
    del out["declarations_estimate"]
    return out


def fixture_check() -> None:
    """The case columns agree with the sheets stored (a sample), and no case has two unhandled alerts."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM (SELECT id, last_declared_at FROM cases_case ORDER BY hashint8(id) LIMIT 2000) c
            WHERE c.last_declared_at IS DISTINCT FROM
                (SELECT max(declared_at) FROM monitoring_declaration d WHERE d.case_id = c.id)
            """
        )
        mismatched = cursor.fetchone()[0]
    if mismatched:
        raise RuntimeError(f"fixture: {mismatched} of 2000 sampled cases disagree with their declarations")


# --- the load generator (standard library only; runs in its own process) ------------------------------------------


def _load_bodies() -> list[dict[str, Any]]:
    """What patients send: mostly normal, some mild symptoms, a few urgent and emergency sheets (weights / 100)."""
    normal = [{"spo2": s, "resp_rate": r, "pulse": p, "temperature": t, "symptoms": []}
              for s, r, p, t in ((98, 16, 78, 36.6), (97, 18, 84, 36.9), (99, 15, 70, 36.4), (98, 17, 90, 37.1))]  # fmt: skip
    mild = [{"spo2": 97, "resp_rate": 18, "pulse": 92, "temperature": 38.2, "symptoms": ["fever", "dry_cough"]},
            {"spo2": 98, "resp_rate": 17, "pulse": 80, "temperature": 37.0, "symptoms": ["sore_throat", "fatigue"]}]  # fmt: skip
    urgent = [{"spo2": 95, "spo2_remeasured": 95, "resp_rate": 21, "pulse": 98, "temperature": 37.8, "symptoms": []}]
    emergency = [{"spo2": 91, "spo2_remeasured": 92, "resp_rate": 27, "pulse": 118, "temperature": 38.6,
                  "symptoms": ["dyspnoea"]}]  # fmt: skip
    return normal * 21 + mild * 6 + urgent * 3 + emergency * 1  # 84 + 12 + 3 + 1 = 100


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    lower = head.lower()
    i = lower.find(b"content-length:")
    if i >= 0:
        length = int(lower[i + 15 : lower.index(b"\r\n", i)])
        body = await reader.readexactly(length) if length else b""
    elif b"transfer-encoding: chunked" in lower:
        chunks = []
        while True:
            size = int((await reader.readline()).strip(), 16)
            chunks.append(await reader.readexactly(size + 2))
            if size == 0:
                break
        body = b"".join(c[:-2] for c in chunks)
    else:
        body = await reader.read()
    return status, head, body


def _form_body(fields: dict[str, Any], csrf: str) -> bytes:
    from urllib.parse import urlencode

    pairs = [("csrfmiddlewaretoken", csrf)]
    for key, value in fields.items():
        if key == "symptoms":
            pairs += [("symptoms", s) for s in value]
        else:
            pairs.append((key, str(value)))
    return urlencode(pairs).encode()


async def _connection(spec: dict[str, Any], index: int, out: dict[str, Any], clock: dict[str, float]) -> None:
    kind, host = spec["kind"], f"{HOST}:{spec['port']}"
    common = f"Host: {host}\r\nX-Forwarded-Proto: https\r\n"
    reader, writer = await asyncio.open_connection(HOST, spec["port"])
    tokens = spec.get("tokens", [])[index :: spec["connections"]]
    case_ids = spec.get("case_ids", [])[index :: spec["connections"]]
    bodies = _load_bodies()
    rnd = random.Random(index)
    csrf = cookie = ""
    if kind == "form":
        writer.write(f"GET /theo-doi/k/{tokens[0]}/ HTTP/1.1\r\n{common}\r\n".encode())
        status, head, body = await _read_response(reader)
        cookie = re.search(rb"csrftoken=([^;\r\n]+)", head).group(1).decode()  # type: ignore[union-attr]
        csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()  # type: ignore[union-attr]
    n = 0
    while True:
        started = time.perf_counter()
        if started >= clock["stop"]:
            break
        fields = bodies[rnd.randrange(len(bodies))]
        if kind == "healthz":
            request = f"GET /healthz HTTP/1.1\r\n{common}\r\n".encode()
        elif kind == "form":
            payload = _form_body(fields, csrf)
            request = (f"POST /theo-doi/k/{tokens[n % len(tokens)]}/ HTTP/1.1\r\n{common}Origin: https://{host}\r\n"
                       f"Cookie: csrftoken={cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                       f"Content-Length: {len(payload)}\r\n\r\n").encode() + payload  # fmt: skip
        elif kind == "link_api":
            payload = json.dumps(fields).encode()
            request = (f"POST /api/v1/monitoring/link/{tokens[n % len(tokens)]}/declarations HTTP/1.1\r\n{common}"
                       f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n").encode() + payload  # fmt: skip
        else:
            payload = json.dumps({**fields, "case_id": case_ids[n % len(case_ids)]}).encode()
            request = (f"POST /api/v1/monitoring/declarations HTTP/1.1\r\n{common}Authorization: Bearer {spec['key']}\r\n"
                       f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n").encode() + payload  # fmt: skip
        n += 1
        writer.write(request)
        status, head, body = await _read_response(reader)
        elapsed = time.perf_counter() - started
        ok = (
            (status == 200 and body == b"ok") if kind == "healthz"
            else (status == 200 and RESULT_MARKER in body) if kind == "form"
            else status == 201
        )  # fmt: skip
        if ok:
            out["ok_total"] += 1
        if started >= clock["measure_from"]:
            if ok:
                out["latencies"].append(elapsed)
            else:
                out["errors"] += 1
                if len(out["error_samples"]) < 3:
                    out["error_samples"].append(f"{status} {body[:200]!r}")
        elif not ok and len(out["error_samples"]) < 3:
            out["error_samples"].append(f"warm-up {status} {body[:200]!r}")
    writer.close()


async def _load(spec: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"latencies": [], "errors": 0, "error_samples": [], "ok_total": 0}
    begin = time.perf_counter()
    clock = {"measure_from": begin + spec["warmup"], "stop": begin + spec["warmup"] + spec["duration"]}
    await asyncio.gather(*(_connection(spec, i, out, clock) for i in range(spec["connections"])))
    return out


def loadgen(spec: dict[str, Any]) -> dict[str, Any]:
    """Closed loop: `connections` keep-alive connections each send a request as soon as the last one is answered."""
    out = asyncio.run(_load(spec))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    lat = sorted(out["latencies"])

    def q(f: float) -> float:
        return round(lat[min(len(lat) - 1, int(f * len(lat)))] * 1000, 1) if lat else 0.0

    return {
        "kind": spec["kind"], "connections": spec["connections"], "duration_s": spec["duration"],
        "requests": len(lat), "rps": round(len(lat) / spec["duration"]), "errors": out["errors"],
        "error_samples": out["error_samples"], "p50_ms": q(0.50), "p95_ms": q(0.95), "p99_ms": q(0.99),
        "max_ms": q(1.0), "ok_total": out["ok_total"], "loadgen_cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
    }  # fmt: skip


# --- the server and what it costs --------------------------------------------------------------------------------


def _cpu_seconds(pids: list[int]) -> float:
    """utime + stime of these processes (and, for the gunicorn master, its children) from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def _machine_busy_seconds() -> float:
    """CPU seconds all processes of the machine spent busy (from /proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(stat.parent.name))
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue
    return out


def _postgres_pids() -> list[int]:
    """The backends of the benchmark database and the server-wide writers (WAL writer, checkpointer, bgwriter)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE (datname = current_database() AND pid <> pg_backend_pid()) "
            "OR backend_type IN ('walwriter', 'checkpointer', 'background writer')"
        )
        return [r[0] for r in cursor.fetchall()]


def _run_loadgen(spec: dict[str, Any]) -> dict[str, Any]:
    """The load generator in its own process (its own GIL), on the same cores as the server."""
    timeout = spec["warmup"] + spec["duration"] + 60
    out = subprocess.run(
        [sys.executable, __file__, "loadgen"], input=json.dumps(spec), capture_output=True, text=True, check=True,
        timeout=timeout,
    )  # fmt: skip
    return json.loads(out.stdout)


@contextmanager
def server(*, workers: int, threads: int) -> Iterator[subprocess.Popen]:
    """gunicorn with production settings (DEBUG off, HTTPS behind a proxy), on 127.0.0.1."""
    env = {
        **os.environ, "DATABASE_URL": DB_URL, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": HOST, "DATABASE_CONN_MAX_AGE": "600", "PHONGDICH_LOG_LEVEL": "WARNING",
        "PHONGDICH_LINK_RATE_PER_TOKEN": RATE_UNLIMITED, "PHONGDICH_LINK_RATE_PER_ADDRESS": RATE_UNLIMITED,
    }  # fmt: skip
    log = open(Path("/tmp") / f"phongdich-bench-gunicorn-{PORT}.log", "a")  # noqa: SIM115, S108
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "phongdich.wsgi:application", "-b", f"{HOST}:{PORT}",
         "-k", "gthread", "-w", str(workers), "--threads", str(threads), "--keep-alive", "30", "--backlog", "2048",
         "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=log, stderr=log,
    )  # fmt: skip
    try:
        deadline = time.time() + 60
        while True:
            try:
                probe = {"kind": "healthz", "port": PORT, "connections": workers * threads, "warmup": 0, "duration": 1}
                if _run_loadgen(probe)["requests"] > 0:
                    break
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired, ValueError):
                pass
            if time.time() > deadline or proc.poll() is not None:
                raise RuntimeError("gunicorn did not start; see /tmp/phongdich-bench-gunicorn-*.log")
            time.sleep(0.5)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def measure(proc: subprocess.Popen, spec: dict[str, Any]) -> dict[str, Any]:
    """One load run against the running server, with the CPU each party used and the rows really stored."""
    from django.db import connection

    def stored() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM monitoring_declaration WHERE id > %s", [watermark])
            return cursor.fetchone()[0]

    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM monitoring_declaration")
        watermark = cursor.fetchone()[0]
    app = [proc.pid, *_children(proc.pid)]
    pg = _postgres_pids()
    cpu_before = (_cpu_seconds(app), _cpu_seconds(pg), _machine_busy_seconds())
    started = time.perf_counter()
    result = _run_loadgen({**spec, "port": PORT})
    wall = time.perf_counter() - started
    pg = sorted({*pg, *_postgres_pids()})
    result["cpu_cores_used"] = {
        "django": round((_cpu_seconds(app) - cpu_before[0]) / wall, 2),
        "postgresql": round((_cpu_seconds(pg) - cpu_before[1]) / wall, 2),
        "load_generator": round(result.pop("loadgen_cpu_s") / wall, 2),
    }
    machine = (_machine_busy_seconds() - cpu_before[2]) / wall
    result["cpu_cores_used"]["other_processes"] = round(max(0.0, machine - sum(result["cpu_cores_used"].values())), 2)
    if spec["kind"] != "healthz":
        rows = stored()
        result["stored"] = rows
        result["stored_matches_successes"] = rows == result["ok_total"]
    return result


def bench_http(*, duration: int, warmup: int, connections: int, grid: list[tuple[int, int]], api_key: str,
               staff_case_ids: list[int], tokens: list[str]) -> dict[str, Any]:  # fmt: skip
    """Tune workers × threads on the form POST (short runs), then measure every endpoint on the best."""
    base = {"connections": connections, "tokens": tokens, "case_ids": staff_case_ids, "key": api_key}
    tuning = []
    for workers, threads in grid:
        with server(workers=workers, threads=threads) as proc:
            r = measure(proc, {**base, "kind": "form", "warmup": 2, "duration": max(6, duration // 3)})
        tuning.append({"workers": workers, "threads": threads, "rps": r["rps"], "p99_ms": r["p99_ms"],
                       "errors": r["errors"], "cpu_cores_used": r["cpu_cores_used"]})  # fmt: skip
        print(json.dumps({"tuning": tuning[-1]}), flush=True)
    best = max(tuning, key=lambda t: (t["errors"] == 0, t["rps"]))
    runs = {}
    with server(workers=best["workers"], threads=best["threads"]) as proc:
        for kind in ("healthz", "form", "link_api", "staff_api"):
            runs[kind] = measure(proc, {**base, "kind": kind, "warmup": warmup, "duration": duration})
            print(json.dumps({kind: {k: v for k, v in runs[kind].items() if k != "error_samples"}}), flush=True)
    return {"server": {"workers": best["workers"], "threads": best["threads"], "worker_class": "gthread"},
            "tuning": tuning, "runs": runs, "connections": connections}  # fmt: skip


# --- where a submission's time goes, in process ------------------------------------------------------------------

PROFILE_GROUPS = (
    ("psycopg", "psycopg (driver, incl. waiting for PostgreSQL)"),
    ("django/db/", "Django ORM (building and compiling SQL, model instances)"),
    ("django/template", "templates"),
    ("ninja/", "django-ninja + pydantic"),
    ("pydantic", "django-ninja + pydantic"),
    ("phongdich/", "phongdich code (services, triage, forms, views)"),
    ("django/", "Django request handling, middleware, forms"),
)


def profile_submit(*, tokens: list[str], case_ids: list[int], api_key: str, runs: int) -> dict[str, Any]:
    """Per submission, without HTTP: CPU ms of the Django process, queries and their wall time, and a cProfile
    split of the time by package. What the server's rate is made of."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client

    body = {"spo2": 98, "resp_rate": 16, "pulse": 78, "temperature": 36.6}
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_key}"}
    requests = {
        "healthz": lambda i: client.get("/healthz", secure=True),
        "form": lambda i: client.post(f"/theo-doi/k/{tokens[i]}/", body, secure=True),
        "link_api": lambda i: client.post(f"/api/v1/monitoring/link/{tokens[i]}/declarations", body,
                                          content_type="application/json", secure=True),
        "staff_api": lambda i: client.post("/api/v1/monitoring/declarations", {**body, "case_id": case_ids[i]},
                                           content_type="application/json", secure=True, **auth),
    }  # fmt: skip
    out: dict[str, Any] = {}
    for kind, send in requests.items():
        db = {"queries": 0, "seconds": 0.0}

        def timed_sql(execute: Any, sql: str, params: Any, many: bool, context: Any, db: dict = db) -> Any:
            t0 = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                db["queries"] += 1
                db["seconds"] += time.perf_counter() - t0

        for i in range(20):
            assert send(i).status_code in (200, 201), kind
        wall, cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(timed_sql):
            for i in range(20, 20 + runs):
                send(i)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        profiler = cProfile.Profile()
        profiler.enable()
        for i in range(20 + runs, 20 + 2 * runs):
            send(i)
        profiler.disable()
        groups: dict[str, float] = {}
        stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
        for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.items():
            label = next((g for key, g in PROFILE_GROUPS if key in filename), "Python standard library, other")
            groups[label] = groups.get(label, 0.0) + tottime
        total = sum(groups.values()) or 1.0
        out[kind] = {
            "cpu_ms": round(cpu / runs * 1000, 2), "wall_ms": round(wall / runs * 1000, 2),
            "queries": round(db["queries"] / runs, 1), "sql_wall_ms": round(db["seconds"] / runs * 1000, 2),
            "profile_share": {g: round(v / total * 100) for g, v in sorted(groups.items(), key=lambda x: -x[1])},
        }  # fmt: skip
        print(json.dumps({f"profile {kind}": out[kind]}, ensure_ascii=False), flush=True)
    return out


# --- queues and timeline, in process ---------------------------------------------------------------------------


def bench_pages(*, users: dict[str, Any], timeline_case_id: int, runs: int) -> dict[str, Any]:
    """The alert and follow-up queues and the F0 page with its timeline, end to end, beside their bare SQL."""
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from bench.bench import p95, timed
    from phongdich.cases.models import Case
    from phongdich.cases.timeline import MAX_DECLARATIONS
    from phongdich.monitoring.followup import followup_queue
    from phongdich.monitoring.models import Alert, Declaration
    from phongdich.monitoring.selectors import AlertFilters, alert_queue

    def bare(queries: list[tuple[str, Any]]) -> list[float]:
        def run() -> None:
            with connection.cursor() as cursor:
                for sql, params in queries:
                    cursor.execute(sql, params)
                    cursor.fetchall()

        return timed(run, runs=runs)

    def page_and_count(qs: Any) -> list[tuple[str, Any]]:
        count_sql, count_params = qs.order_by().values("pk").query.sql_with_params()
        page_sql, page_params = qs[:50].query.sql_with_params()
        return [(f"SELECT count(*) FROM ({count_sql}) t", count_params), (page_sql, page_params)]

    now = timezone.now()
    scenarios: dict[str, tuple[str, str, dict[str, str], list[tuple[str, Any]]]] = {}
    for who in ("ward", "district", "city"):
        user = users[who]
        scenarios[f"alert queue, {who}"] = (
            who, reverse("monitoring:alerts"), {}, page_and_count(alert_queue(user=user, filters=AlertFilters(), now=now))
        )  # fmt: skip
        scenarios[f"follow-up queue, {who}"] = (
            who, reverse("monitoring:followup"), {}, page_and_count(followup_queue(user=user, now=now).cases)
        )  # fmt: skip
    case = Case.objects.get(pk=timeline_case_id)
    decl = (
        Declaration.objects.filter(case=case).select_related("entered_by").order_by("-declared_at")[:MAX_DECLARATIONS]
    )
    alerts = Alert.objects.filter(case=case).select_related("handled_by", "acknowledged_by")
    scenarios["F0 page with timeline (ward)"] = (
        "ward", reverse("cases:detail", kwargs={"pk": case.pk}), {},
        [decl.query.sql_with_params(), alerts.query.sql_with_params()],
    )  # fmt: skip
    out: dict[str, Any] = {"scenarios": {}, "runs": runs}
    for label, (who, url, params, sql) in scenarios.items():
        client = Client()
        client.force_login(users[who])

        def get(url: str = url, params: dict[str, str] = params, client: Client = client) -> None:
            response = client.get(url, params, secure=True)
            assert response.status_code == 200, (url, response.status_code)

        view_ms = timed(get, runs=runs)
        sql_ms = bare(sql)
        out["scenarios"][label] = {
            "who": who, "view_p95_ms": round(p95(view_ms), 1), "view_median_ms": round(statistics.median(view_ms), 1),
            "ceiling_bare_sql_p95_ms": round(p95(sql_ms), 1),
        }  # fmt: skip
        print(json.dumps({label: out["scenarios"][label]}, ensure_ascii=False), flush=True)
    return out


# --- main ------------------------------------------------------------------------------------------------------


def _setup_django() -> None:
    os.environ["BENCH_DATABASE_URL"] = DB_URL  # bench.bench reads it (and sets DATABASE_URL) on import
    os.environ["DJANGO_DEBUG"] = "0"  # DEBUG would record every query of the in-process pages
    os.environ["DJANGO_SECRET_KEY"] = SECRET
    os.environ["PHONGDICH_LINK_RATE_PER_TOKEN"] = os.environ["PHONGDICH_LINK_RATE_PER_ADDRESS"] = RATE_UNLIMITED
    sys.path.insert(0, str(ROOT))
    import django

    from bench import bench as registry  # noqa: F401  (environment of the in-process measurements)

    django.setup()


def _fixture_ready(cases: int) -> bool:
    import psycopg

    try:
        with psycopg.connect(DB_URL) as conn:
            row = conn.execute("SELECT count(*) FROM cases_case").fetchone()
            return bool(row and row[0] == cases)
    except psycopg.Error:
        return False


def main() -> None:
    if sys.argv[1:] == ["loadgen"]:  # the spec comes on stdin: it carries thousands of tokens
        print(json.dumps(loadgen(json.loads(sys.stdin.read()))))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=300_000)
    parser.add_argument("--duration", type=int, default=20, help="seconds measured per endpoint, after warm-up")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--grid", default="2x4,3x4,4x4,4x8", help="gunicorn workers x threads to try")
    parser.add_argument("--runs", type=int, default=30, help="runs per page for the in-process latencies")
    parser.add_argument("--profile-runs", type=int, default=300, help="in-process submissions per endpoint profiled")
    parser.add_argument("--reuse-fixture", action="store_true")
    parser.add_argument("--skip-http", action="store_true")
    args = parser.parse_args()
    started = time.time()

    reuse = args.reuse_fixture and _fixture_ready(args.cases)
    _setup_django()
    import psycopg
    from django.db import connection
    from django.utils import timezone

    from bench.bench import write_result
    from phongdich.accounts.models import User
    from phongdich.accounts.services import api_token_create
    from phongdich.cases.models import Case

    fixture = {"reused": True} if reuse else build_fixture(cases=args.cases)
    fixture_check()
    users = {u.username.removeprefix("bench-") if u.username != "bench" else "city": u
             for u in User.objects.select_related("area__parent").filter(username__startswith="bench")}  # fmt: skip
    ward = users["ward"].area
    today = timezone.localdate()
    # The F0 page: a case of the busiest ward confirmed 30 days ago (about 60 sheets), with alerts if any.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.id, count(*) FROM cases_case c JOIN monitoring_declaration d ON d.case_id = c.id "
            "WHERE c.ward_id = %s AND c.confirmed_on = %s GROUP BY c.id "
            "ORDER BY abs(count(*) - 60), (SELECT count(*) FROM monitoring_alert a WHERE a.case_id = c.id) DESC, c.id "
            "LIMIT 1",
            [ward.pk, today - timedelta(days=30)],
        )
        timeline_case_id, timeline_declarations = cursor.fetchone()
    summary = fixture_summary()
    environment = {"date": today.isoformat(), "python": platform.python_version(), "cpus": os.cpu_count(),
                   "postgresql": psycopg.connect(DB_URL).info.server_version}  # fmt: skip
    loaded = {**summary, "busiest_ward": f"{ward.name}, {ward.parent.name}",
              "cases_in_busiest_ward": Case.objects.filter(ward=ward).count(),
              "timeline_case_declarations": timeline_declarations}  # fmt: skip
    print(json.dumps({"fixture": fixture, "loaded": loaded}, ensure_ascii=False), flush=True)

    pages = bench_pages(users=users, timeline_case_id=timeline_case_id, runs=args.runs)
    result: dict[str, Any] = {"env": environment, "fixture": fixture, "loaded": loaded, "pages": pages,
                              "targets": TARGETS}  # fmt: skip
    if not args.skip_http:
        rnd = random.Random(5)
        sample = rnd.sample(range(1, args.cases + 1), LINK_SAMPLE)
        active = set(Case.objects.filter(pk__in=sample, status="active").values_list("pk", flat=True))
        tokens = [link_token(pk) for pk in sample if pk in active]
        key = api_token_create(user=users["city"], name="bench")
        staff_case_ids = sorted(active)[: LINK_SAMPLE // 2]
        result["profile"] = profile_submit(tokens=tokens[::-1], case_ids=staff_case_ids[::-1], api_key=key,
                                           runs=args.profile_runs)  # fmt: skip
        grid = [tuple(int(x) for x in cell.split("x")) for cell in args.grid.split(",")]
        connection.close()  # the server's workers, not this process, use the database now
        result["http"] = bench_http(
            duration=args.duration, warmup=args.warmup, connections=args.connections, grid=grid,  # type: ignore[arg-type]
            api_key=key, staff_case_ids=staff_case_ids, tokens=tokens,
        )  # fmt: skip
    result["suite_seconds"] = round(time.time() - started)
    write_result("homecare", result)
    print(f"homecare done in {result['suite_seconds']} s")


if __name__ == "__main__":
    main()
