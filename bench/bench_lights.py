"""Benchmark of the lights recompute: millions of synthetic open and closed items with history, timed against a bare scan.

    python -m bench.bench_lights [--items N] [--units N] [--repeat N] [--no-write]

Synthetic facts are generated inside DuckDB with range() and hash-based pseudo-random values (the same
numbers on every run), so a full-size warehouse is ready in seconds. One recompute for the day before
builds the item state and history; the timed recomputes then run as the scheduled job does. The result is
written to bench/results/lights.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

from pipelines import lights, warehouse

RESULTS = Path(__file__).resolve().parent / "results" / "lights.md"
TZ = ZoneInfo("Asia/Shanghai")
AS_OF = datetime(2026, 6, 15, 10, 0, tzinfo=TZ)
TARGET_S = 5.0

# The generator's statements live here rather than in pipelines/sql: they build throw-away synthetic data
# for this benchmark only. Shares of the items: documents 20 %, steps 30 %, milestones 10 %, requests 40 %.
# h(i, salt) is a deterministic pseudo-random number in [0, 1).
GENERATE = (
    """create or replace macro h(i, salt) as (hash(i * 7919 + salt) % 1000000) / 1000000.0""",
    """insert into dim_unit
       select 'C', '示范市', 'Demo City', null, 1, '/C/', 'bench', $as_of
       union all
       select printf('B%02d', b), printf('局%02d', b), null, 'C', 2, printf('/C/B%02d/', b), 'bench', $as_of
       from range(1, $bureaus + 1) t(b)
       union all
       select printf('D%05d', d), printf('科%05d', d), null, printf('B%02d', d % $bureaus + 1), 3,
              printf('/C/B%02d/D%05d/', d % $bureaus + 1, d), 'bench', $as_of
       from range(1, $divisions + 1) t(d)""",
    """insert into dim_person
       select printf('P%06d', p), printf('人员%06d', p), printf('D%05d', p % $divisions + 1),
              ['law_enforcement', 'service', 'management'][p % 3 + 1], 1.0, 'bench', $as_of
       from range(1, $persons + 1) t(p)""",
    """insert into fct_document
       select printf('DOC%08d', i), printf('公文%08d', i), ['incoming', 'outgoing'][i % 2 + 1], null,
              printf('D%05d', i % $divisions + 1), printf('P%06d', i % $persons + 1),
              $as_of - to_seconds((h(i, 1) * 200 * 86400)::bigint) as received_at,
              [5, 10, 15, 20][(i % 4) + 1], null,
              case when h(i, 2) < 0.7 then $as_of - to_seconds((h(i, 1) * 200 * 86400 * h(i, 3))::bigint) end,
              'bench_oa', $as_of, 0
       from range(0, $documents) t(i)""",
    """insert into fct_document_step
       select printf('DOC%08d', i // 3), i % 3 + 1, ['register', 'propose', 'handle'][i % 3 + 1],
              printf('P%06d', (i * 13) % $persons + 1), printf('D%05d', (i // 3) % $divisions + 1),
              $as_of - to_seconds((h(i, 4) * 120 * 86400)::bigint),
              case when h(i, 5) < 0.75 then $as_of - to_seconds((h(i, 4) * 120 * 86400 * h(i, 6))::bigint) end,
              [1, 2, 3][(i % 3) + 1], 'bench_oa', 0
       from range(0, $steps) t(i)""",
    """insert into fct_milestone
       select printf('MS%08d', i), printf('T%07d', i // 4), printf('重点任务%07d', i // 4), printf('节点%d', i % 4),
              ['project', 'reform', 'livelihood'][i % 3 + 1], printf('D%05d', (i * 7) % $divisions + 1),
              printf('P%06d', (i * 7) % $persons + 1),
              (date '2026-01-01' + (h(i, 7) * 150)::integer) as planned_start,
              (date '2026-01-01' + (h(i, 7) * 150)::integer + 30 + (h(i, 8) * 200)::integer) as planned_date,
              case when h(i, 9) < 0.3 then date '2026-01-01' + (h(i, 10) * 160)::integer end,
              round(h(i, 11) * 100), 'bench_ledger', $as_of, 0
       from range(0, $milestones) t(i)""",
    """insert into fct_request
       select printf('RQ%09d', i), ['consultation', 'help', 'complaint', 'report', 'suggestion', 'emergency'][i % 6 + 1],
              printf('工单%09d', i), printf('D%05d', (i * 3) % $divisions + 1), printf('P%06d', (i * 3) % $persons + 1),
              $as_of - to_seconds((h(i, 12) * 90 * 86400)::bigint) as received_at, null, null,
              case when h(i, 13) < 0.75 then $as_of - to_seconds((h(i, 12) * 90 * 86400 * h(i, 14))::bigint) end,
              null, null,
              case when h(i, 13) < 0.75 then ['satisfied', 'basically_satisfied', 'dissatisfied'][i % 3 + 1] end,
              case when h(i, 15) < 0.05 then 1 else 0 end, null, 'bench_hotline', $as_of, 0
       from range(0, $requests) t(i)""",
    """insert into fct_suspension
       select 'request', request_id, received_at + interval 1 day, received_at + interval 3 day, 'waiting', 'bench'
       from fct_request where hash(request_id) % 50 = 0""",
    """insert into fct_extension
       select 'request', request_id, received_at + interval 2 day, received_at + interval 40 day, 'approved', 'bench'
       from fct_request where hash(request_id) % 100 = 1""",
    """insert into item_light_history
       select $as_of::date - d::integer, 'request', printf('RQ%09d', i), printf('D%05d', (i * 3) % $divisions + 1), null,
              ['green', 'yellow', 'red'][(i + d) % 3 + 1], $as_of - to_days(d), '2026.1', null, null
       from range(2, $history_days + 2) t(d), range(0, $history_items) s(i)""",
)
SCAN = "select sum(hash(t)) from {table} as t"
FACT_TABLES = ("fct_document", "fct_document_step", "fct_milestone", "fct_request")


def generate(con: duckdb.DuckDBPyConnection, items: int, divisions: int, history_days: int) -> dict:
    sizes = {
        "as_of": AS_OF, "bureaus": 30, "divisions": divisions, "persons": max(100, items // 60),
        "documents": items * 20 // 100, "steps": items * 30 // 100, "milestones": items * 10 // 100,
        "history_days": history_days, "history_items": items * 40 // 100 // 3,
    }
    sizes["requests"] = items - sizes["documents"] - sizes["steps"] - sizes["milestones"]
    for statement in GENERATE:
        wanted = {k: v for k, v in sizes.items() if f"${k}" in statement}
        con.execute(statement, wanted).fetchall()
    return sizes


def bare_scan(con: duckdb.DuckDBPyConnection) -> float:
    started = time.perf_counter()
    for table in FACT_TABLES:
        con.execute(SCAN.format(table=table)).fetchall()
    return time.perf_counter() - started


def write_report(path: Path, rows: dict) -> None:
    lines = [
        "# Lights recompute benchmark",
        "",
        "`python -m bench.bench_lights` — synthetic open and closed items with suspensions, extensions and",
        "history, generated in DuckDB; one recompute for the day before builds the state, then the timed",
        "recomputes run as the scheduled job does (decisions copy, calendars, rules, item lights, history,",
        "unit/person rollups, rates — one transaction). The bare scan reads every row and column of the four",
        "fact tables once (`sum(hash(row))`).",
        "",
        "| measure | value |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v} |" for k, v in rows.items() if k != "steps"]
    lines += ["", "Slowest steps of the last timed recompute (seconds):", "", "| step | s |", "|---|---|"]
    lines += [f"| {name} | {s:.3f} |" for name, s in rows["steps"]]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_lights", description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2_000_000, help="tracked items in all (default 2,000,000)")
    parser.add_argument("--units", type=int, default=3_000, help="division-level units (default 3,000)")
    parser.add_argument("--history-days", type=int, default=30, help="days of prior item history (default 30)")
    parser.add_argument("--repeat", type=int, default=3, help="timed recomputes (default 3; the median counts)")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/results/lights.md")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="xiaoneng-bench-lights-"))
    os.environ.setdefault("XIAONENG_TZ", "Asia/Shanghai")
    app_db = workdir / "no-app.sqlite"
    try:
        db = workdir / "bench.duckdb"
        with warehouse.writer(db) as con:
            started = time.perf_counter()
            sizes = generate(con, args.items, args.units, args.history_days)
            generated_s = time.perf_counter() - started
            (units,), = con.execute("select count(*) from dim_unit").fetchall()
            (open_items,), = con.execute(
                "select (select count(*) from fct_document where closed_at is null)"
                " + (select count(*) from fct_document_step where finished_at is null)"
                " + (select count(*) from fct_milestone where actual_date is null)"
                " + (select count(*) from fct_request where closed_at is null)").fetchall()
            first = lights.recompute(con, AS_OF - timedelta(days=1), app_db=app_db)
            con.execute("checkpoint").fetchall()
            scan_s = statistics.median(bare_scan(con) for _ in range(3))
            timed = []
            result = first
            for _ in range(args.repeat):
                started = time.perf_counter()
                result = lights.recompute(con, AS_OF, app_db=app_db)
                timed.append(time.perf_counter() - started)
            (history_rows,), = con.execute("select count(*) from item_light_history").fetchall()
        recompute_s = statistics.median(timed)
        rows = {
            "date": datetime.now(TZ).strftime("%Y-%m-%d %H:%M %Z"),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
                       f"DuckDB {duckdb.__version__}",
            "items": f"{result['items']:,} ({open_items:,} open)",
            "units / persons": f"{units:,} / {sizes['persons']:,}",
            "item history rows": f"{history_rows:,}",
            "generate data": f"{generated_s:.1f} s",
            "first recompute (day before, empty state)": f"{first['seconds']:.2f} s",
            "recompute (median of %d)" % len(timed): f"**{recompute_s:.2f} s** (runs: "
                                                     + ", ".join(f"{t:.2f}" for t in timed) + ")",
            "bare scan of the fact tables": f"{scan_s:.2f} s",
            "ratio recompute / bare scan": f"{recompute_s / scan_s:.1f}×",
            "target": f"< {TARGET_S:.0f} s — {'met' if recompute_s < TARGET_S else 'NOT met'}",
            "lights": ", ".join(f"{k} {v:,}" for k, v in sorted(result["by_status"].items())),
            "steps": sorted(result["timings"].items(), key=lambda kv: -kv[1])[:10],
        }
        for key, value in rows.items():
            if key != "steps":
                print(f"{key:45} {value}")
        if not args.no_write:
            write_report(RESULTS, rows)
            print(f"written {RESULTS}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
