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
    lines += _vaccination_section(_load("vaccination"))
    lines += _contacts_section(_load("contacts"))
    lines += _reports_section(_load("reports"))
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


def _vaccination_section(vc: dict) -> list[str]:
    if not vc:
        return []
    loaded, fixture, check = vc["loaded"], vc["fixture"], vc["fixture_check"]
    if "seconds" in fixture:
        built = f"built in {fixture['seconds']:.0f} s, not measured"
    elif fixture.get("built"):
        built = f"reused; it was built in {fixture['built']['seconds']:.0f} s on {fixture['built']['built_at'][:10]}, not measured"
    else:
        built = "reused from an earlier run"
    by_kind = ", ".join(f"{k} {v:,}" for k, v in loaded["doses_by_kind"].items())
    by_status = ", ".join(f"{k} {v:,}" for k, v in loaded["summaries_by_status"].items())
    agree = check["agree_percent"]
    lines = [
        "## Vaccination (issue #6)",
        "",
        f"Measured by `bash bench/run.sh --suite vaccination` (`bench/vaccination.py`) on {vc['env']['date']}, "
        f"{vc['env']['cpus']} cores, PostgreSQL {_pg_version(vc['env']['postgresql'])} with its default "
        f"configuration; the whole suite took {vc['suite_seconds']} s. Fixture ({built}): {loaded['persons']:,} "
        f"persons, {loaded['doses']:,} doses ({by_kind}; table with indexes {loaded['dose_table_size']}), "
        f"{loaded['summaries']:,} summary rows ({by_status}; {loaded['summary_table_size']}), "
        f"{loaded['denominator_rows']:,} denominator rows; database {loaded['database_size']}.",
        "",
        f"The fixture's summaries are computed in SQL with simplified rules (see the notes); "
        f"`person_vaccination_refresh` recomputed a random sample of {check['sample']:,} of them as on 30/06/2022 "
        f"and agreed on: " + ", ".join(f"{f} {v} %" for f, v in agree.items()) + ".",
    ]
    imp = vc.get("import")
    if imp:
        f, copy = imp["file"], imp["ceiling_raw_copy"]
        lines += [
            "",
            "### Dose import, end to end (xlsx → matched or new persons, doses, row report, refreshed summaries)",
            "",
            f"A vaccination-site list of {f['rows']:,} rows: {f['registry_by_cccd']:,} persons of the registry by "
            f"CCCD (1 % with a misspelt name), {f['registry_by_name_birth_year_phone']:,} by name + birth year + "
            f"phone only, {f['new_persons']:,} new persons, {f['bad_rows']} bad rows (dose before birth, unknown "
            f'vaccine, no date). Through `import_job_create` + `import_job_run` (kind "doses"), in process.',
            "",
            "| run | rows | seconds | rows/s | created | matched | rejected | doubtful | SQL s (queries) | target | "
            "ceiling: raw COPY of the same rows |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
        ]
        for label, run in imp["import"].items():
            name = "first import" if label == "first" else "same file again (all matched)"
            ok = run["rows_per_s"] >= imp["target_rows_per_s"]
            lines.append(
                f"| {name} | {run['rows']:,} | {run['seconds']} | {run['rows_per_s']:,} | {run['created']:,} "
                f"| {run['matched_existing']:,} | {run['rejected']:,} | {run['doubtful']:,} "
                f"| {run['sql_seconds']} ({run['queries']}) | ≥ {imp['target_rows_per_s']:,} {_verdict(ok)} "
                f"| {copy['rows_per_s']:,} rows/s ({copy['seconds']} s) |"
            )
        lines += [
            "",
            f"Reading the xlsx alone with calamine took {copy['calamine_read_seconds']} s. SQL s: the statements sent "
            "through Django's cursor (the COPYs of new doses, persons and summaries are not in it).",
        ]
        prof = imp.get("profile")
        if prof:
            shares = ", ".join(f"{g} {v} %" for g, v in prof["share_percent"].items() if v >= 2)
            lines += [
                "",
                f"Profile (cProfile, another file of {prof['rows']:,} rows, {prof['seconds_profiled']} s under the "
                f"profiler; SQL wall time {prof['sql_share_percent']} % of it): {shares}.",
            ]
    pages = vc["pages"]["scenarios"]
    lines += [
        "",
        "### Coverage tables and due lists",
        "",
        f"Server side, end to end (Django test client in process, DEBUG off, {vc['pages']['runs']} runs each, after "
        f"2 warm-up requests). The ward is the one with the most people due: {loaded['busiest_ward']} "
        f"({loaded['busiest_ward_summaries']:,} summary rows, {loaded['busiest_ward_due']:,} with a next dose, "
        f"{loaded['busiest_ward_due_50_plus']:,} overdue aged 50+). Ceiling: the SELECTs the same page runs, "
        "captured from one request and replayed bare on the same connection.",
        "",
        "| page | p95 ms | median ms | ceiling: the page's SQL, bare, p95 ms | queries | HTML KB | target |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for label, r in pages.items():
        target = r["target_p95_ms"]
        lines.append(
            f"| {label} | {r['view_p95_ms']} | {r['view_median_ms']} | {r['ceiling_bare_sql_p95_ms']} | {r['queries']} "
            f"| {r['html_kb']} | ≤ {target} ms {_verdict(r['view_p95_ms'] <= target)} |"
        )
    lines += ["", "Where each page's time goes (cProfile of 5 requests, largest shares):", ""]
    for label, r in pages.items():
        top = r.get("profile_top_self_time", [])[:4]
        lines.append(
            f"- {label}: "
            + ", ".join(f"{g} {v} %" for g, v in r["profile_share_percent"].items())
            + (f"; heaviest functions (self time): {', '.join(top)}" if top else "")
        )
    due = vc.get("due_what_if")
    if due:
        lines += [
            "",
            "What the busiest ward's due-list query (count + first 50) would cost with a deferred join and a covering "
            f"index (not the app's code yet; the index is a scratch one, built in {due['covering_index_build_seconds']} s "
            "and dropped after):",
            "",
            "| due-list query | p95 ms | median ms |",
            "|---|---:|---:|",
        ]
        for label, r in due.items():
            if isinstance(r, dict):
                lines.append(f"| {label} | {r['p95_ms']} | {r['median_ms']} |")
    what_if = vc.get("rollup_what_if")
    if what_if:
        rows = what_if["rows"]
        lines += [
            "",
            f"What the coverage page's counting queries cost on rollup tables (scratch tables built from the summaries "
            f"in {what_if['full_rebuild_seconds']} s — the app now keeps the ward-level ones as CoverageTally and "
            f"CoverageDay, the district-level ones are not the app's code; per ward × birth year × status "
            f"{rows['ward_status']:,} rows, per district {rows['district_status']:,}; per ward × day of first doses and "
            f"completed primary courses {rows['ward_day']:,} rows, per district {rows['district_day']:,}):",
            "",
            "| query on the rollup | p95 ms | median ms |",
            "|---|---:|---:|",
        ]
        for label, r in what_if.items():
            if isinstance(r, dict) and "p95_ms" in r:
                lines.append(f"| {label} | {r['p95_ms']} | {r['median_ms']} |")
    lines += ["", VACCINATION_NOTES]
    return lines


VACCINATION_NOTES = """### Reading the vaccination figures

- **Fixture** (SQL, `bench/vaccination.py`, not measured). Persons from `bench/synthetic.py` (wards weighted by the demo
  populations, ages by its pyramid, CCCD for ~85 %, birth year only for ~25 %). Doses by birth year, Jul 2021 – Jun
  2022: adults (born ≤ 2003) 0.5 % none, 1 % one, 6 % two, the rest three; first dose 01/07–15/10/2021 (AstraZeneca
  30 %, Pfizer 20 %, Moderna 10 %, Vero Cell 40 %), the second after the product's interval (AstraZeneca 56–84 days,
  Pfizer and Vero Cell 21–28, Moderna 28–35, same product), the booster ≥ 90 days later and from 20/12/2021 (Pfizer,
  Moderna, AstraZeneca); a second booster on 23–30/06/2022 (CV 3309) for a share of people born ≤ 1972, chosen so
  the total is 20 million. Teens (born 2004–2010): Pfizer from 25/10/2021, a third dose 5 months after the second for
  ~55 %. Children (born 2011–2016): Pfizer 5–11 from 14/04/2022, two doses for 55 %. The summaries are computed in
  SQL with simplified rules: intervals in days (90/120/150) where the rules count calendar months, and an
  unvaccinated person due from the campaign's start where `vaccination_next` says "from the reference day"; the
  sample check above shows the effect (next due date agrees for ~81 %, next dose kind ~98.5 %: additional vs booster
  for Vero Cell courses, second boosters for people who turn 50 later in the year). Denominators: each ward's demo
  population split by the same pyramid, the adult groups raised 6 % from 28/10/2021.
- **Machine.** PostgreSQL keeps its default 128 MB `shared_buffers`, and the VM's page cache held ~5 GB while the
  database is 8.5 GB: the import's random reads in the 4.3 GB dose table and the 2.4 GB person table largely go to
  disk. The re-import reads the same pages warm.
- **Dose import (target not met, ~9× short on the first import).** Timed per statement (a separate 10,000-row
  import), the SQL time went mostly to reading the dose history of each batch's persons (`vaccination_dose WHERE
  person_id = ANY(…)`, ~1.3 s per 5,000 rows: ~17,000 page reads, because each person's 2–4 doses lie on different
  pages of a table filled in date order), looking persons up by CCCD / phone / name (~0.5 s per batch), the COPY of
  doses into a table with four indexes (~0.5 s per batch) and the summary upsert (~0.2 s). In Python, per row:
  parsing and identity ~65 µs, `dose_check` ~65 µs, `vaccination_next` ~40 µs (under cProfile), plus the ORM and
  bookkeeping — about 200 µs, so one core cannot exceed ~5,000 rows/s even with free SQL; 20,000 rows/s means
  ~50 µs a row. Next steps, in order:
  (1) importer + services: read a batch's dose history once and hand it to `person_vaccination_refresh` (it reads
  persons and doses again); (2) done in this run: the index on `vaccination_dose(person_id)` is gone
  (`dose_unique_person_day` starts with `person_id`); (3) a production database server with memory for the working set (`shared_buffers` ≈ 25 % of RAM; the dose
  and person look-up indexes are ~2.5 GB); (4) parse and check a batch in a second process while the first writes
  (the rules are pure Python; the VM has two cores); (5) for 20,000 rows/s on such a machine, run the schedule checks
  (`dose_check`, flags for review) as a pass after the load instead of inline.
- **Coverage tables (met for today; not met for a past date).** Between the first runs of this suite and this one,
  `coverage_table` and `coverage_trend` moved to the tallies `person_vaccination_refresh` now keeps (CoverageTally
  per ward × birth year × status, ~154,000 rows here; CoverageDay per ward × day, ~267,000 rows), recounted after the
  SQL load with `coverage_tallies_rebuild` (~17 s). Before, the city table took ~2.8–3.5 s (median) and a district's
  ~2.2 s: a GROUP BY over the 7.3 million summaries (~1.6 s) and three trend queries reading the whole table (~0.5 s
  each). Now the city table's SQL is ~100 ms (the tally GROUP BY ~50 ms, the trend ~25 ms, denominators ~20 ms) and
  the rest is rendering. Still missed: coverage on a past date (`on` before today), which counts the summaries by
  dose dates (~1.3 s of SQL). Next step (coverage.py): answer past dates from a per-day tally by birth year (first
  dose / primary complete / boosted, per ward or per district), or offer past dates only as the trend. For more
  headroom on today's city table, a district-level tally (or one GROUP BY over districts in SQL) brings its count
  query from ~30–50 ms to ~3–6 ms (rollup measurements above). There is no all-wards variant to measure: city users
  pick a district to see its wards.
- **Due list (met).** Was ~165 ms median (the page query read every due row of the ward, ~27,500 rows on ~9,800
  heap pages, to sort them by the computed ranks). Now `vacc_due` is a covering partial index
  `(ward, next_due_on) INCLUDE (birth_year, priority, homebound, person)` and `coverage.due_page` sorts and counts
  the ids from that index alone, then loads the page's 50 rows: ~35 ms median, SQL ~15 ms.
- **Printable list (not met; no target of its own, shown against the due list's).** It prints up to 5,000 rows
  (PRINT_LIMIT; the ward has ~17,000 overdue people aged 50+), 2.3 MB of HTML. SQL is ~0.3 s; the rest is the
  template. Named cells (`r.name` instead of `r.1`, which cost Django a failed lookup per cell) took it from ~1.45 s
  to ~1.1 s median. Next step: print in pages of a few hundred rows (a team's day) with a page parameter.
"""


if __name__ == "__main__":
    print(write_performance_md())


def _contacts_section(ct: dict) -> list[str]:
    if not ct:
        return []
    t, loaded, fixture, env = ct["targets"], ct["loaded"], ct["fixture"], ct["env"]
    built = "reused from an earlier run" if fixture.get("reused") else f"built in {fixture['seconds']:.0f} s"
    lines = [
        "",
        "## F1 contacts and citizen requests (issue #4)",
        "",
        f"Measured by `bash bench/run.sh --suite contacts` (`bench/contacts.py`) on {env['date']}, {env['cpus']} "
        f"cores, PostgreSQL {_pg_version(env['postgresql'])} with its default configuration. Fixture (SQL, "
        f"{built}, not measured): {ct['sizes']['persons']:,} persons, {ct['sizes']['cases']:,} F0, "
        f"{loaded['contacts']:,} F1/F2 contacts, {loaded['requests']:,} requests over 40 days of which "
        f"{loaded['open_requests']:,} still open; the busiest ward ({loaded['busiest_ward']}) has "
        f"{loaded['open_requests_in_busiest_ward']:,} open. Pages through the Django test client in-process "
        "(middleware, queries, template), beside the bare SQL of their selector (count + first page).",
        "",
        "| request queue | rows | p95 ms | median ms | target | ceiling: bare SQL p95 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, q in ct["queues"].items():
        ok = q["p95_ms"] <= t["queue_p95_ms"]
        lines.append(
            f"| {label} | {q['rows']:,} | {q['p95_ms']} | {q['median_ms']} | ≤ {t['queue_p95_ms']} {_verdict(ok)} "
            f"| {q['ceiling_bare_sql_p95_ms']} |"
        )
    tree = ct["tree"]
    counts = ", ".join(f"{k.upper()} {v}" for k, v in tree["counts"].items())
    lines += [
        "",
        f"Transmission tree of the {tree['nodes']}-person cluster ({counts}; {tree['edges']} edges):",
        "",
        "| measure | p95 ms | median ms | target | ceiling: bare SQL of its rows p95 ms |",
        "|---|---:|---:|---:|---:|",
        f"| selector + layout (`transmission_tree`) | {tree['selector']['p95_ms']} | {tree['selector']['median_ms']} "
        f"| | {tree['ceiling_bare_sql_p95_ms']} |",
        f"| the page, drawn (SVG + table) | {tree['page']['p95_ms']} | {tree['page']['median_ms']} "
        f"| ≤ {t['tree_p95_ms']} {_verdict(tree['page']['p95_ms'] <= t['tree_p95_ms'])} | |",
        "",
        "F1 list page, for reference (no target): "
        + ", ".join(f"{who} p95 {v['p95_ms']} ms (median {v['median_ms']})" for who, v in ct["contact_lists"].items())
        + ".",
    ]
    return lines


def _reports_section(rp: dict) -> list[str]:
    if not rp or "pages" not in rp:
        return []
    t, env, fixture, sizes = rp["targets"], rp["env"], rp["fixture"], rp["sizes"]
    finish = fixture["finish"]
    built = "reused from an earlier run" if fixture.get("reused") else f"built in {fixture['seconds']:.0f} s"
    lines = [
        "",
        "## Situation reports, dashboards, levels (issue #5)",
        "",
        f"Measured by `bash bench/run.sh --suite reports` (`bench/reports.py`) on {env['date']}, {env['cpus']} cores, "
        f"PostgreSQL {_pg_version(env['postgresql'])} with its default configuration. Fixture (SQL, {built}, not "
        f"measured): {sizes['persons']:,} persons, {sizes['cases']:,} F0 over 60 days, 40,000,000 declarations, "
        f"{sizes['contacts']:,} F1, {sizes['requests']:,} requests. The daily summary table was then rebuilt from "
        f"the raw tables by `rebuild_tallies` in {finish['rebuild_tallies_s']} s ({finish['wardday_rows']:,} rows, "
        f"{finish['wardday_size']}). Scopes: " + ", ".join(f"{k} = {v}" for k, v in rp["users"].items()) + ".",
        "",
        "| page | p95 ms | median ms | target |",
        "|---|---:|---:|---:|",
    ]
    for label, m in rp["pages"].items():
        ok = m["p95_ms"] <= t["page_p95_ms"]
        lines.append(f"| {label} | {m['p95_ms']} | {m['median_ms']} | ≤ {t['page_p95_ms']} {_verdict(ok)} |")
    c, lv, x = rp["ceiling_wardday_city_30_days"], rp["levels"], rp["xlsx"]
    lines += [
        "",
        f"Ceiling: the city's 30-day series summed from the summary table in bare SQL, p95 {c['p95_ms']} ms "
        f"(median {c['median_ms']}).",
        "",
        "| measure | result | target |",
        "|---|---:|---:|",
        f"| levels of all {lv['areas']} areas (`levels_assess`) | p95 {lv['p95_ms'] / 1000:.2f} s, median "
        f"{lv['median_ms'] / 1000:.2f} s | ≤ {t['levels_s']} s {_verdict(lv['p95_ms'] / 1000 <= t['levels_s'])} |",
        f"| city report as xlsx, enqueue → file ready (worker) | median {x['median_s']} s, max {x['max_s']} s "
        f"({x['bytes']:,} bytes) | ≤ {t['xlsx_s']} s {_verdict(x['max_s'] <= t['xlsx_s'])} |",
        "",
        REPORTS_NOTES,
    ]
    return lines


REPORTS_NOTES = """### Reading the report, dashboard and level figures

- **What the pages read.** The daily summary table (`reports_wardday`) for every count over time, and current-state
  counts that have an index: open alerts (`alert_queue`), F0 at home silent or due for release (the follow-up
  index), facilities, stock, the coverage tallies, the latest assessments (`assessment_latest`). Never the
  declarations or a scan of the cases. The largest single cost of the city dashboard is the follow-up counts of
  `monitoring.followup.ward_daily` over the ~340,000 F0 at home (~140 ms); a per-ward counter would remove it.
- **The map** of a dashboard is a separate request (the map view's fragment, loaded by htmx after the page): the
  579 cells and their values cost about as much as the rest of the dashboard. "map · city" is the full map page with
  its 579-row table.
- **`gc.freeze()`** in `phongdich/wsgi.py` keeps the objects loaded at start-up out of the cyclic collector's passes;
  the benchmark imports `phongdich.wsgi` like a production process. Without it the city pages' p95 was 350–400 ms
  (full collections during a request), with an unchanged median.
- **Fixture.** Deaths and the follow-up column `last_declared_at` (about one F0 at home in seven silent for over
  24 h) are set by SQL after the migrations; the declarations are not read by any page measured here — they are
  there so that any page that did scan them would show it."""
