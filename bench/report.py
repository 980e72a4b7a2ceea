"""Summarise bench/results/*.json into docs/performance.md, each figure beside its target and ceiling."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


NOTES = """## Reading these figures

- The machine is a shared 2-core VM: the same run varies by up to ±30 % between repetitions
  (the raw COPY ceiling itself moved between 0.08 s and 0.16 s). Compare a figure with its
  ceiling from the same run, not across runs.
- **Import (target not met).** A first import of 30,000 rows runs at 5,400–8,300 rows/s across
  runs; SORMAS, the reference in `shared/domain/peers.md`, imports about one case per second.
  A profile splits the time roughly: per-row parsing and validation in Python (dates, CCCD,
  phone, ward matching, folding names) ~45 %; PostgreSQL writing persons and cases into indexed
  tables and checking their foreign keys at commit ~35 %; reading the xlsx ~10 %. Done so far:
  one-parameter `= ANY(%s)` look-ups instead of 5,000-placeholder `IN` lists, cached folding and
  ward lookups, COPY with ids drawn from the sequence, no WAL-flush wait per batch (safe: progress
  commits with the batch), no FK constraint on bookkeeping columns. Next steps, in order of
  expected gain: parse batches in a second process (the machine has two cores and parsing needs
  no database), then measure dropping the trigram index from the bulk path.
  A parse-ahead *thread* was tried and removed: parsing is pure Python, so the GIL made it slower.
- **F0 list (target not met overall).** Ward and district views meet it; city-wide views mostly do. City users now choose a district before
  its wards: rendering a 600-option select cost more than the query. The slowest views are the
  city-wide name search ("contains", so given names match, over 330,000 cases joined to persons:
  the bare SQL alone is ~200 ms) and deep pages sorted by code (OFFSET paging). The ward and
  district views, which are what ward health stations use, stay well under the target.
- **Search.** On PostgreSQL the folded name is `COLLATE "C"`, so full names typed from the start
  are an index range scan; "contains" matches (a given name) fill the rest via a trigram index.
"""


HOMECARE_NOTES = """### Reading the home-care figures

- **Fixture.** 300,000 active home F0 (one per synthetic resident, wards weighted by population), confirmed
  0–35 days ago; declarations twice a day from the evening of confirmation, stored in time order (a case's
  sheets lie on different pages, as in production); 1 % never declared, 5 % silent for 1–5 days; 10 % of F0
  are "sicker" (more abnormal sheets). Vitals come from 600 sheets triaged once by `rules.triage` (adult
  thresholds) and reused. The case follow-up columns equal what `declaration_submit` leaves (checked on a
  sample); open alerts are the F0 whose last sheet is urgent or an emergency; every declaration has its
  audit row. PostgreSQL runs with its default configuration (128 MB shared_buffers).
- **Declaration throughput (target not met, by about 3×).** The 2 cores are saturated: Django uses ~1.3
  cores and PostgreSQL ~0.5 while the personal-link endpoints serve 300–380 requests/s, against ~5,000/s
  for `/healthz` on the same server. Done since the first run (which gave 199 / 208 / 91 req/s for form /
  link API / staff API):
  1. the sheet, the case's follow-up columns and the audit row are one statement on PostgreSQL
     (`monitoring/onestatement.py`, data-modifying CTEs) when no alert is due: in process the service's
     CPU fell from ~1.4 ms to ~0.3 ms and a link submission from ~3.5 to ~2.0 ms;
  2. psycopg server-side binding (`PHONGDICH_DB_SERVER_BINDING`, on by default): repeated statements are
     prepared;
  3. `case_for_user` fetches by primary key and checks the ward against the user's area in memory, instead
     of a ~580-id `IN` list (the staff API doubled);
  4. the link's "last used" is read from the declarations instead of written on every submit.
  Under HTTP a request still costs ~4 ms of Django CPU (twice the in-process figure: 32 connections, the
  GIL and gunicorn's threads) and ~1.5 ms of PostgreSQL CPU, most of it index maintenance: the UPDATE of
  the case changes columns of the follow-up indexes, so it is never a HOT update and writes an entry in
  each of `cases_case`'s 9 indexes, and every sheet adds rows to the declaration and audit indexes. At
  ~5.5 ms of CPU per sheet, 1,000/s needs ~6 cores of this VM. Next steps, in order of expected gain:
  keep the follow-up columns in a narrow side table (HOT updates on `cases_case`), serve the personal
  link from a leaner WSGI entry point (no session/auth/messages middleware), and run more than one
  web node: the work is stateless apart from PostgreSQL.
- **Queues.** Ward and district queues meet the target on their medians (50–70 ms); their p95 moves with
  the other processes of the shared VM. City users now choose a district before its wards, and the
  follow-up page counts its queue once. City-wide views still miss: the follow-up page counts ~157,000 of the
  city's 300,000 F0 by reason (the count is most of its ~180 ms bare SQL; the page itself comes from
  `case_followup_order` in < 1 ms), and the alert page sorts ~5,000 unhandled alerts and renders 50 rows with
  their handling forms. Next step: keep the per-ward counts in a small table updated by the declaration
  path, so a city page sums 579 rows instead of counting 157,000.
- **F0 timeline.** Met: 59 declarations and the case's alerts cost ~1.5 ms of SQL; the page's time is
  rendering.
"""

ENDPOINTS = {
    "form": "personal-link form, POST (HTML page back)",
    "link_api": "personal-link API, POST /api/v1/monitoring/link/{token}/declarations",
    "staff_api": "staff API, POST /api/v1/monitoring/declarations (bearer token, city user)",
}


def _load(name: str) -> dict:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _pg_version(number: int | None) -> str:
    return f"{number // 10000}.{number % 100}" if number else "?"


def _verdict(ok: bool) -> str:
    return "✅ đạt" if ok else "❌ chưa đạt"


def write_performance_md() -> Path:
    imp, mem, lst, search = _load("import"), _load("import_memory"), _load("case_list"), _load("search")
    env = imp.get("env", {})
    lines = [
        "# Performance",
        "",
        "Measured by `bash bench/run.sh` (PostgreSQL; writes `bench/results/*.json` and this page).",
        f"Machine: {env.get('cpus', '?')} cores, Python {env.get('python', '?')}, PostgreSQL server "
        f"{_pg_version(env.get('postgresql'))}, run on {env.get('date', '?')}. Data: the synthetic Hà Nội of "
        "`bench/synthetic.py` (fixed seeds). Each figure stands beside its ceiling measured in the same run.",
        "",
        "## F0 import, end to end (file → committed persons, cases, row report)",
        "",
        "| measure | rows | seconds | rows/s | target | ceiling: raw COPY of the same rows |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    if imp:
        copy = imp["ceiling_raw_copy"]
        for label, run in imp["import"].items():
            name = "first import" if label == "first" else "same file again (all matched)"
            lines.append(
                f"| {name} | {imp['rows']:,} | {run['seconds']} | {run['rows_per_s']:,} | ≥ {imp['target_rows_per_s']:,} "
                f"{_verdict(run['rows_per_s'] >= imp['target_rows_per_s'])} | {copy['rows_per_s']:,} rows/s ({copy['seconds']} s) |"
            )
        lines.append("")
        lines.append(f"Reading the xlsx alone with calamine took {imp['calamine_read_seconds']} s of that.")
    if mem:
        lines += [
            "",
            "## Large import memory",
            "",
            "| rows | file | seconds | rows/s | peak RSS | target |",
            "|---:|---:|---:|---:|---:|---:|",
            f"| {mem['rows']:,} | {mem['file_mb']} MB | {mem['seconds']} | {mem['rows_per_s']:,} | {mem['peak_rss_mb']} MB "
            f"| < {mem['target_peak_rss_mb']} MB {_verdict(mem['peak_rss_mb'] < mem['target_peak_rss_mb'])} |",
        ]
    if lst:
        loaded = lst["loaded"]
        lines += [
            "",
            f"## F0 list ({loaded['persons']:,} persons, {loaded['cases']:,} cases loaded)",
            "",
            f"Server side, end to end through middleware, query and template (Django test client, 30 runs each). "
            f"Ward views use the busiest ward ({loaded['busiest_ward']}, {loaded['cases_in_busiest_ward']:,} cases).",
            "",
            "| view | p95 ms | median ms | ceiling: bare SQL (count + page) p95 ms |",
            "|---|---:|---:|---:|",
        ]
        for label, s in lst["scenarios"].items():
            lines.append(f"| {label} | {s['view_p95_ms']} | {s['view_median_ms']} | {s['ceiling_bare_sql_p95_ms']} |")
        lines.append(
            f"| **all views** | **{lst['view_p95_ms_all']}** | | target ≤ {lst['target_p95_ms']} ms "
            f"{_verdict(lst['view_p95_ms_all'] <= lst['target_p95_ms'])} |"
        )
    if search:
        lines += [
            "",
            f"## Person search ({search['persons']:,} persons)",
            "",
            "| query kind | p95 ms | median ms | ceiling: bare SQL p95 ms |",
            "|---|---:|---:|---:|",
        ]
        for kind, s in search["kinds"].items():
            lines.append(f"| {kind} | {s['p95_ms']} | {s['median_ms']} | {s.get('ceiling_bare_sql_p95_ms', '—')} |")
        lines.append(
            f"| **all** | **{search['p95_ms_all']}** | | target ≤ {search['target_p95_ms']} ms "
            f"{_verdict(search['p95_ms_all'] <= search['target_p95_ms'])} |"
        )
    lines += ["", NOTES]
    lines += _homecare_section(_load("homecare"))
    path = ROOT / "docs" / "performance.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _homecare_section(hc: dict) -> list[str]:
    if not hc:
        return []
    t, loaded, fixture = hc["targets"], hc["loaded"], hc["fixture"]
    built = (
        f"built in {fixture['seconds']:.0f} s, not measured" if "seconds" in fixture else "reused from an earlier run"
    )
    lines = [
        "## Home care (issue #3)",
        "",
        f"Measured by `bash bench/run.sh --suite homecare` (`bench/homecare.py`) on {hc['env']['date']}, "
        f"{hc['env']['cpus']} cores, PostgreSQL {_pg_version(hc['env']['postgresql'])} with its default "
        f"configuration; the suite took {hc['suite_seconds']} s. Fixture ({built}): {loaded['home_f0']:,} F0 "
        f"at home, {loaded['declarations']:,} declarations ({loaded['declaration_table_size']} with its index), "
        f"{loaded['audit_rows']:,} audit rows, {loaded['open_alerts']:,} unhandled and {loaded['handled_alerts']:,} "
        f"handled alerts, a personal link per F0; database {loaded['database_size']}.",
    ]
    http = hc.get("http")
    if http:
        srv, runs = http["server"], http["runs"]
        ceiling = runs["healthz"]
        lines += [
            "",
            "### Submitting a declaration over HTTP (triage + storage)",
            "",
            f"gunicorn `-k gthread -w {srv['workers']} --threads {srv['threads']}` on 127.0.0.1 with production "
            f"settings (DEBUG off, HTTPS behind a proxy), {http['connections']} keep-alive connections from an "
            f"asyncio load generator on the same cores, {ceiling['duration_s']} s measured after warm-up. "
            f"Ceiling: the same server's `GET /healthz` in the same run, {ceiling['rps']:,} req/s "
            f"(p99 {ceiling['p99_ms']} ms).",
            "",
            "| endpoint | req/s | p50 ms | p95 ms | p99 ms | errors | rows stored = successes | target | ceiling req/s |",
            "|---|---:|---:|---:|---:|---:|---|---|---:|",
        ]
        for kind, label in ENDPOINTS.items():
            r = runs.get(kind)
            if not r:
                continue
            ok = r["rps"] >= t["submit_rps"] and r["p99_ms"] <= t["submit_p99_ms"] and r["errors"] == 0
            stored = f"{r['stored']:,} {'✅' if r['stored_matches_successes'] else '❌'}"
            lines.append(
                f"| {label} | {r['rps']:,} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {r['errors']} | {stored} "
                f"| ≥ {t['submit_rps']:,}/s, p99 ≤ {t['submit_p99_ms']} ms {_verdict(ok)} | {ceiling['rps']:,} |"
            )
        lines += [
            "",
            "Cores used during each run (of 2; from /proc):",
            "",
            "| run | req/s | Django (gunicorn) | PostgreSQL | load generator | other processes on the VM |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for kind in ("healthz", *ENDPOINTS):
            r = runs.get(kind)
            if r:
                c = r["cpu_cores_used"]
                lines.append(f"| {kind} | {r['rps']:,} | {c['django']} | {c['postgresql']} | {c['load_generator']} "
                             f"| {c.get('other_processes', '?')} |")  # fmt: skip
        lines += ["", "Server tuning (personal-link form, short runs):", "",
                  "| workers × threads | req/s | p99 ms | errors |", "|---|---:|---:|---:|"]  # fmt: skip
        for row in http["tuning"]:
            lines.append(
                f"| {row['workers']} × {row['threads']} | {row['rps']:,} | {row['p99_ms']} | {row['errors']} |"
            )
    profile = hc.get("profile")
    if profile:
        lines += [
            "",
            "Where one request's time goes (in process through the Django test client, no HTTP; cProfile shares "
            "of the profiled time):",
            "",
            "| request | CPU ms | queries | SQL wall ms | largest shares |",
            "|---|---:|---:|---:|---|",
        ]
        for kind, p in profile.items():
            shares = ", ".join(f"{g} {v} %" for g, v in list(p["profile_share"].items())[:4])
            lines.append(f"| {kind} | {p['cpu_ms']} | {p['queries']} | {p['sql_wall_ms']} | {shares} |")
    pages = hc["pages"]["scenarios"]
    lines += [
        "",
        "### Queues and the F0 timeline",
        "",
        f"Server side, end to end (Django test client in process, DEBUG off, {hc['pages'].get('runs', 30)} runs each). "
        f"Ward views use the busiest ward ({loaded['busiest_ward']}, {loaded['cases_in_busiest_ward']:,} F0); the "
        f"F0 page is one of its F0 confirmed 30 days ago ({loaded['timeline_case_declarations']} declarations).",
        "",
        "| view | p95 ms | median ms | ceiling: bare SQL of the selector (count + page) p95 ms | target |",
        "|---|---:|---:|---:|---|",
    ]
    for label, r in pages.items():
        target = t["timeline_p95_ms"] if label.startswith("F0 page") else t["queue_p95_ms"]
        lines.append(
            f"| {label} | {r['view_p95_ms']} | {r['view_median_ms']} | {r['ceiling_bare_sql_p95_ms']} "
            f"| ≤ {target} ms {_verdict(r['view_p95_ms'] <= target)} |"
        )
    return [*lines, "", HOMECARE_NOTES]


if __name__ == "__main__":
    print(write_performance_md())
