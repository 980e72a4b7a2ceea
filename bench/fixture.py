"""What bench/contacts.py and bench/reports.py do the same way: a fresh database with the area tree and a city
user, a session tuned for bulk SQL loads and the bookkeeping after them; and timing calls."""

from __future__ import annotations

import os
import statistics
import time
from typing import Any


class Stages:
    """Seconds per fixture stage, printed as they end."""

    def __init__(self) -> None:
        self.started = self._last = time.perf_counter()
        self.seconds: dict[str, float] = {}

    def done(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = round(now - self._last, 1)
        self._last = now
        print(f"fixture: {name} {self.seconds[name]} s", flush=True)

    @property
    def total(self) -> float:
        return round(time.perf_counter() - self.started, 1)


def fresh_city() -> Any:
    """Recreate the benchmark database, migrate, load the area tree; the city admin "bench" who owns the rows."""
    from django.core.management import call_command

    from bench import bench as registry
    from phongdich.accounts.roles import Role
    from phongdich.accounts.services import user_create
    from phongdich.areas.models import Area

    registry.recreate_database()
    call_command("migrate", verbosity=0)
    call_command("seed_areas", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return user_create(username="bench", password=None, role=Role.CITY_ADMIN, area=Area.objects.get(code="01"))


def bulk_session(cursor: Any) -> None:
    """No fsync per commit, room to build indexes, and foreign keys unchecked: the rows are consistent by
    construction, and checking them row by row would triple the load time."""
    cursor.execute("SET synchronous_commit = off")
    cursor.execute("SET maintenance_work_mem = '1GB'")
    cursor.execute("SET work_mem = '256MB'")
    cursor.execute("SET session_replication_role = replica")


def bulk_done(cursor: Any, *, tables: tuple[str, ...]) -> None:
    """After rows were inserted with explicit ids: move the id sequences and the F0 code counter past them, check
    foreign keys again from now on, and refresh the planner's statistics."""
    for table in tables:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    cursor.execute(
        "INSERT INTO cases_casecodecounter (province_code, last) SELECT '01', max(id) FROM cases_case "
        "ON CONFLICT (province_code) DO UPDATE SET last = EXCLUDED.last"
    )
    cursor.execute("SET session_replication_role = origin")
    cursor.execute("VACUUM ANALYZE")


# --- measurements ----------------------------------------------------------------------------------------------


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 2 else samples[0]


def timed(fn: Any, *, runs: int, warmup: int = 3) -> list[float]:
    """Milliseconds of `runs` calls of `fn`, after `warmup` calls not counted."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def summary(ms: list[float], **extra: Any) -> dict[str, Any]:
    return {"p95_ms": round(p95(ms), 1), "median_ms": round(statistics.median(ms), 1), **extra}


def bare_sql(sql: str, params: Any) -> None:
    """Run a query and fetch its rows: the ceiling beside a page that runs it through the ORM and a template."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.fetchall()
