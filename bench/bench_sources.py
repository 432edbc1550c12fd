"""Rows per second of each source type through the whole pipeline, as a ratio to bare DuckDB on the same data.

For each source type the same N work orders are loaded on this machine in this run: by bare
DuckDB (read_csv / read_parquet into a table in a database file, committed, which is the target's
measure, and into a table in memory, for comparison; for PostgreSQL, COPY ... TO STDOUT of the
rows) and by a pipeline run (extract -> keep raw -> validate -> quarantine -> merge -> cursor, one
transaction, committed, into a fresh warehouse). Each is run --repeat times and the fastest counts.
Publishing a snapshot is timed apart. Then an incremental run with nothing new is timed, and the
CSV case is set against what a durable load costs as bare DuckDB statements. Results go to
bench/results/sources.md.

    python -m bench.bench_sources --rows 1000000
"""
from __future__ import annotations

import argparse
import csv
import os
import platform
import resource
import shutil
import socket
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 5, 12, 0, tzinfo=SH)
HEADER = ["工单编号", "诉求类型", "标题", "受理时间", "派单时间", "承办单位编码", "承办人工号", "首次响应时间",
          "办结时间", "办理时限(工作日)", "满意度", "重办次数", "状态", "挂起开始", "挂起结束", "延期至", "更新时间"]
UNITS = [f"B{i:02d}" for i in range(1, 41)]
CATEGORIES = ["咨询", "求助", "投诉", "举报", "建议", "紧急"]


def work_orders(n: int) -> pa.Table:
    """n realistic work orders (about 1 in 500 has an unknown unit, so quarantine is exercised)."""
    base = datetime(2025, 1, 1, 8, 0)
    received = [base + timedelta(minutes=7 * i) for i in range(n)]
    fmt = "%Y-%m-%d %H:%M:%S"
    closed = [(r + timedelta(days=2)).strftime(fmt) if i % 3 else "" for i, r in enumerate(received)]
    return pa.table({
        "工单编号": [f"GD{i:08d}" for i in range(n)],
        "诉求类型": [CATEGORIES[i % 6] for i in range(n)],
        "标题": [f"关于第{i % 997}号小区噪音扰民的投诉" for i in range(n)],
        "受理时间": [r.strftime(fmt) for r in received],
        "派单时间": [(r + timedelta(minutes=30)).strftime(fmt) for r in received],
        "承办单位编码": ["ZZZ" if i % 500 == 499 else UNITS[i % 40] for i in range(n)],
        "承办人工号": [f"P{i % 3000:05d}" for i in range(n)],
        "首次响应时间": [(r + timedelta(hours=2)).strftime(fmt) for r in received],
        "办结时间": closed,
        "办理时限(工作日)": [str(13 if i % 6 in (2, 3) else 3) for i in range(n)],
        "满意度": [("满意", "基本满意", "不满意", "")[i % 4] if closed[i] else "" for i in range(n)],
        "重办次数": [str(1 if i % 5 == 0 else 0) for i in range(n)],
        "状态": ["已办结" if closed[i] else "办理中" for i in range(n)],
        "挂起开始": ["" for _ in range(n)],
        "挂起结束": ["" for _ in range(n)],
        "延期至": ["" for _ in range(n)],
        "更新时间": [(r + timedelta(hours=3)).strftime(fmt) for r in received],
    })


def write_csv(table: pa.Table, path: Path, encoding: str) -> None:
    columns = [table[name].to_pylist() for name in HEADER]
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(zip(*columns))


def settle(path: Path) -> None:
    st = path.stat()
    os.utime(path, (st.st_atime - 600, st.st_mtime - 600))


def fresh_env(work: Path, name: str) -> Path:
    """A fresh warehouse with the units the work orders use (bench setup, not a pipeline path)."""
    folder = work / name
    folder.mkdir()
    os.environ["XIAONENG_DB"] = str(folder / "wh.duckdb")
    os.environ["XIAONENG_INBOX"] = str(folder / "inbox")
    os.environ["XIAONENG_APP_DB"] = str(folder / "app.sqlite")
    from pipelines import warehouse

    with warehouse.writer() as con:
        con.execute("insert into dim_unit (unit_code, name, parent_code, level, path) values ('C', '市', null, 1, '/C/')")
        con.executemany("insert into dim_unit (unit_code, name, parent_code, level, path) values (?, ?, 'C', 2, ?)",
                        [(u, u, f"/C/{u}/") for u in UNITS])
    return folder


def cpu_seconds() -> float:
    """CPU time of this process so far, all threads (DuckDB's included): less swayed by other work than wall time."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def bare(sql: str, *params, database: str = ":memory:") -> tuple[float, float]:
    """Wall and CPU seconds of one statement on a fresh DuckDB connection (in memory unless a file is given)."""
    con = duckdb.connect(database)
    try:
        started, cpu = time.perf_counter(), cpu_seconds()
        con.execute(sql, list(params)).fetchall()
        return time.perf_counter() - started, cpu_seconds() - cpu
    finally:
        con.close()


def best_bare(sql: str, *params, repeat: int, folder: Path | None = None) -> tuple[float, float]:
    """The fastest of `repeat` runs: in memory, or (with a folder) each into a fresh database file."""
    runs = []
    for i in range(repeat):
        database = ":memory:" if folder is None else str(folder / f"bare_{time.monotonic_ns()}_{i}.duckdb")
        runs.append(bare(sql, *params, database=database))
    return min(w for w, _ in runs), min(c for _, c in runs)


class StepClock:
    """Seconds spent in each step of pipeline runs: each staging SQL file (the runner's `execute`), reading the
    file, mapping, hashing, writing the raw archive (those functions, wrapped)."""

    def __init__(self) -> None:
        from pipelines import runner
        from pipelines.sources import archive, mapping
        from pipelines.sources.inbox import client as inbox_client, readers
        from pipelines.sources.sql import client as sql_client

        self.seconds: dict[str, float] = {}
        self._wrap(runner, "execute", lambda args: args[1])
        for module, name, label in ((readers, "read_csv", "read file"), (readers, "read_parquet", "read file"),
                                    (readers, "read_xlsx", "read file"), (mapping, "apply", "mapping"),
                                    (inbox_client, "sha256_of", "hash file"),
                                    (archive, "write_records", "keep raw (in the background)"),
                                    (sql_client, "read", "read database")):
            self._wrap(module, name, lambda args, label=label: label)

    def _wrap(self, module, name: str, label) -> None:
        original = getattr(module, name)

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                key = label(args)
                self.seconds[key] = self.seconds.get(key, 0.0) + time.perf_counter() - started

        setattr(module, name, timed)

    def reset(self) -> None:
        self.seconds = {}

    def top(self, n: int = 9) -> list[tuple[str, float]]:
        return sorted(self.seconds.items(), key=lambda kv: -kv[1])[:n]


@dataclass
class Load:
    seconds: float
    cpu: float
    publish: float
    result: "object"


def pipeline_run(source_raw: dict, name: str) -> Load:
    """One pipeline run of a source (load only), then publish timed apart."""
    from pipelines import runner, warehouse
    from pipelines.sources import config as cfg

    source = cfg.parse_source(name, source_raw, ROOT / "config")
    with warehouse.writer() as con:
        started, cpu = time.perf_counter(), cpu_seconds()
        result = runner.run_source(con, source, now=NOW)
        load_s, load_cpu = time.perf_counter() - started, cpu_seconds() - cpu
        started = time.perf_counter()
        warehouse.publish(con)
        publish_s = time.perf_counter() - started
    if result.state != "success":
        raise SystemExit(f"bench: {name} failed: {result.error}")
    return Load(load_s, load_cpu, publish_s, result)


def fastest(loads: list[Load]) -> Load:
    """The fastest load, with the least CPU time of all of them (each is damped by other work independently)."""
    best = min(loads, key=lambda load: load.seconds)
    return Load(best.seconds, min(load.cpu for load in loads), best.publish, best.result)


def best_inbox_load(work: Path, name: str, file: Path, target_name: str, options: dict, repeat: int,
                    clock: StepClock | None = None) -> tuple[Load, dict]:
    """The fastest of `repeat` loads of the same file, each into a fresh warehouse; also the source of the last
    one, whose warehouse the settings now point at (for a run with nothing new)."""
    loads, sql_seconds = [], []
    for attempt in range(repeat):
        fresh_env(work, f"{name}_{attempt}")
        inbox = Path(os.environ["XIAONENG_INBOX"]) / "requests"
        inbox.mkdir(parents=True)
        shutil.copy(file, inbox / target_name)
        settle(inbox / target_name)
        raw = {"type": "inbox", "kind": "requests", "path": str(inbox), "mapping": "mappings/hotline_12345.toml",
               **options}
        if clock is not None:
            clock.reset()
        loads.append(pipeline_run(raw, name))
        sql_seconds.append(dict(clock.seconds) if clock is not None else {})
    if clock is not None:
        clock.seconds = sql_seconds[min(range(repeat), key=lambda i: loads[i].seconds)]
    return fastest(loads), raw


def durable_steps(work: Path, csv_path: Path, attempt: int) -> list[tuple[str, float]]:
    """The least a durable load of the same file must do, as bare DuckDB statements in one transaction on the
    warehouse schema: read the file, insert typed rows under the primary key, commit."""
    from pipelines import warehouse

    fresh_env(work, f"durable_{attempt}")
    steps = []
    with warehouse.writer() as con:
        con.begin()
        for label, sql in (
            ("read the CSV (all text) into a temporary table",
             "create temp table r as select * from read_csv(?, all_varchar = true)"),
            ("+ typed rows into fct_request (primary key)",
             "insert into fct_request (request_id, category, title, unit_code, person_id, received_at, "
             "dispatched_at, first_response_at, closed_at, limit_days, satisfaction, reopened_count, status, "
             "source, updated_at, run_id) select \"工单编号\", \"诉求类型\", \"标题\", \"承办单位编码\", \"承办人工号\", "
             "try_cast(\"受理时间\" || '+08' as timestamptz), try_cast(\"派单时间\" || '+08' as timestamptz), "
             "try_cast(\"首次响应时间\" || '+08' as timestamptz), try_cast(nullif(\"办结时间\", '') || '+08' as timestamptz), "
             "try_cast(\"办理时限(工作日)\" as integer), nullif(\"满意度\", ''), try_cast(\"重办次数\" as integer), \"状态\", "
             "'bench', try_cast(\"更新时间\" || '+08' as timestamptz), 0 from r"),
        ):
            started = time.perf_counter()
            con.execute(sql, [str(csv_path)] if "?" in sql else [])
            steps.append((label, time.perf_counter() - started))
        started = time.perf_counter()
        con.commit()
        steps.append(("+ commit", time.perf_counter() - started))
    return steps


def pg_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
        return True
    except OSError:
        return False


CSV_SQL = "create table t as select * from read_csv(?, all_varchar = true)"
PARQUET_SQL = "create table t as select * from read_parquet(?)"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_sources", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=50_000,
                        help="rows for the XLSX case (writing a big workbook takes long; default 50,000)")
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs of each baseline and each pipeline load (each into a fresh warehouse); "
                             "the fastest counts, which damps other work on the machine (default 2)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "sources.md"))
    args = parser.parse_args(argv)
    n, repeat = args.rows, max(1, args.repeat)
    load_before = os.getloadavg()
    started_at = datetime.now(SH)
    work = Path(tempfile.mkdtemp(prefix="xiaoneng-bench-"))
    bare_dir = work / "bare"
    bare_dir.mkdir()
    # (name, rows, baseline into a database file, baseline in memory, pipeline load); baselines are (wall, cpu)
    rows: list[tuple] = []
    notes: list[str] = []
    clock = StepClock()
    try:
        print(f"generating {n:,} work orders ...", flush=True)
        table = work_orders(n)
        data = work / "data"
        data.mkdir()
        utf8 = data / "orders_utf8.csv"
        write_csv(table, utf8, "utf-8")
        gbk = data / "orders_gb18030.csv"
        write_csv(table, gbk, "gb18030")
        parquet = data / "orders.parquet"
        pq.write_table(table, parquet)

        # CSV, UTF-8 -------------------------------------------------------------------------------
        base_csv = (best_bare(CSV_SQL, str(utf8), repeat=repeat, folder=bare_dir),
                    best_bare(CSV_SQL, str(utf8), repeat=repeat))
        load, raw = best_inbox_load(work, "bench_csv", utf8, "12345工单_20260305_100000.csv",
                                    {"format": "csv", "encoding": "utf-8"}, repeat, clock)
        csv_steps = clock.top()
        rows.append(("CSV UTF-8 (inbox)", n, *base_csv, load))
        started = time.perf_counter()
        pipeline_run(raw, "bench_csv")
        rows.append(("CSV inbox, nothing new", 0, None, None, time.perf_counter() - started))
        print(rows[-2], rows[-1], flush=True)
        steps = min((durable_steps(work, utf8, i) for i in range(repeat)), key=lambda s: sum(t for _, t in s))

        # CSV, GB18030 (as the hotline exports) ------------------------------------------------------
        load, _ = best_inbox_load(work, "bench_gbk", gbk, "12345工单_20260305_100000.csv",
                                  {"format": "csv", "encoding": "gb18030"}, repeat)
        rows.append(("CSV GB18030 (inbox)", n, *base_csv, load))
        notes.append("GB18030: bare DuckDB cannot read GB18030 without an extension that is not installed "
                     "here; the baselines are its reads of the same rows as UTF-8. The pipeline parses the file's "
                     "bytes and decodes the columns that are not plain ASCII strictly with Python's codec "
                     "(included in its time).")
        print(rows[-1], flush=True)

        # Parquet ----------------------------------------------------------------------------------
        base_pq = (best_bare(PARQUET_SQL, str(parquet), repeat=repeat, folder=bare_dir),
                   best_bare(PARQUET_SQL, str(parquet), repeat=repeat))
        load, _ = best_inbox_load(work, "bench_parquet", parquet, "orders.parquet", {"format": "parquet"}, repeat)
        rows.append(("Parquet (inbox)", n, *base_pq, load))
        print(rows[-1], flush=True)

        # XLSX (smaller) ---------------------------------------------------------------------------
        import xlsxwriter

        m = min(n, args.xlsx_rows)
        book_path = data / "orders.xlsx"
        book = xlsxwriter.Workbook(str(book_path), {"constant_memory": True})
        sheet = book.add_worksheet("工单")
        sheet.write_row(0, 0, HEADER)
        for i, row in enumerate(zip(*[table[h].to_pylist()[:m] for h in HEADER]), start=1):
            sheet.write_row(i, 0, row)
        book.close()
        small_csv = data / "small.csv"
        write_csv(table.slice(0, m), small_csv, "utf-8")
        base_small = (best_bare(CSV_SQL, str(small_csv), repeat=repeat, folder=bare_dir),
                      best_bare(CSV_SQL, str(small_csv), repeat=repeat))
        load, _ = best_inbox_load(work, "bench_xlsx", book_path, "orders.xlsx", {"format": "xlsx"}, repeat, clock)
        xlsx_read = clock.seconds.get("read file", 0.0)
        rows.append((f"XLSX (inbox, {m:,} rows)", m, *base_small, load))
        notes.append("XLSX: the baselines are DuckDB's read_csv of the same rows as CSV (DuckDB has no XLSX reader "
                     f"installed here). Reading the workbook alone (calamine) took {xlsx_read:.2f} s of the "
                     f"pipeline's {load.seconds:.2f} s.")
        print(rows[-1], flush=True)

        # PostgreSQL -------------------------------------------------------------------------------
        if pg_reachable():
            import psycopg

            pg_url = "postgresql://postgres@127.0.0.1:5432/test"
            with psycopg.connect(pg_url, autocommit=True) as pg:
                pg.execute("drop table if exists bench_work_order")
                pg.execute("create table bench_work_order ("
                           + ", ".join(f'"{h}" text' for h in HEADER) + ")")
                with pg.cursor().copy("copy bench_work_order from stdin with (format csv, header true)") as cp:
                    with open(utf8, "rb") as fh:
                        while block := fh.read(1 << 20):
                            cp.write(block)
                pg.execute('create index on bench_work_order ("更新时间")')
                pg.execute("analyze bench_work_order")
                # Chinese column names are not plain identifiers for the SQL client: read through a view.
                pg.execute("create or replace view bench_work_order_v as select *, \"更新时间\" as updated_at "
                           "from bench_work_order")
                base_pg = None
                for _ in range(repeat):
                    started = time.perf_counter()
                    size = 0
                    with pg.cursor().copy("copy (select * from bench_work_order) to stdout") as cp:
                        for block in cp:
                            size += len(block)
                    took = time.perf_counter() - started
                    base_pg = took if base_pg is None else min(base_pg, took)
                base_pg = (base_pg, None)            # the server's CPU time is not this process's
            raw_pg = {"type": "sql", "kind": "requests", "url": pg_url,
                      "streams": [{"entity": "request", "table": "bench_work_order_v", "primary_key": ["工单编号"],
                                   "cursor": "updated_at", "mapping": "mappings/hotline_12345.toml"}]}
            loads, pg_steps = [], []
            for attempt in range(repeat):
                fresh_env(work, f"postgres_{attempt}")
                clock.reset()
                loads.append(pipeline_run(raw_pg, "bench_pg"))
                pg_steps.append(clock.top())
            pg_steps = pg_steps[min(range(repeat), key=lambda i: loads[i].seconds)]
            rows.append(("PostgreSQL (connectorx over TCP)", n, base_pg, None, fastest(loads)))
            started = time.perf_counter()
            pipeline_run(raw_pg, "bench_pg")
            rows.append(("PostgreSQL, nothing new", 0, None, None, time.perf_counter() - started))
            print(rows[-2], rows[-1], flush=True)
            with psycopg.connect(pg_url, autocommit=True) as pg:
                pg.execute("drop view if exists bench_work_order_v")
                pg.execute("drop table if exists bench_work_order")
            pg_read = dict(pg_steps).get("read database", 0.0)
            notes.append("PostgreSQL: the baseline is `COPY (select ...) TO STDOUT` of the same rows read by "
                         "psycopg (the rows as text, nothing parsed or stored); it is set in both ratio columns. "
                         "The pipeline's time includes reading with connectorx and writing the raw archive "
                         "(Parquet, zstd); in its fastest run: "
                         + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in pg_steps[:5]) + ".")
        else:
            pg_read = 0.0
            notes.append("PostgreSQL: not reachable on 127.0.0.1:5432; not measured.")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    load_after = os.getloadavg()
    lines = [
        "# Source load speed, relative to bare DuckDB",
        "",
        f"Run {started_at.isoformat(timespec='seconds')} on {platform.node() or 'this machine'} "
        f"({os.cpu_count()} CPUs, Python {platform.python_version()}, DuckDB {duckdb.__version__}), "
        f"`python -m bench.bench_sources --rows {n} --repeat {repeat}`; each baseline and each load is the "
        f"fastest of {repeat} runs (CPU: the least of them). Machine load average (1/5/15 min) "
        f"{load_before[0]:.1f}/{load_before[1]:.1f}/{load_before[2]:.1f} before and "
        f"{load_after[0]:.1f}/{load_after[1]:.1f}/{load_after[2]:.1f} after: other work on this shared "
        "machine slows both columns.",
        "",
        "A pipeline load is the whole source run in one transaction: read, keep the batch as received (an inbox "
        "file stays byte for byte in done/; pulled records are written as a Parquet file), type and validate, "
        "quarantine bad records (about 1 in 500 here: unknown unit) with their original record as JSON, merge "
        "by key with change history, cursor/processed-file bookkeeping, commit. Publishing a snapshot is timed "
        "apart.",
        "",
        "The baseline is bare DuckDB reading the same file into a table in a database file, committed: a load "
        "is durable, so that is the like-for-like table and the target's measure. The same read into a table in "
        "memory, which writes nothing to disk, is shown beside it for transparency.",
        "",
        "| source | rows | pipeline load s | pipeline rows/s | baseline: into a database file s | "
        "**ratio** (target ≥ 50 %) | into memory s | ratio to in-memory | pipeline CPU s | "
        "CPU ratio (file) | publish s | quarantined |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, count, base_file, base_mem, load in rows:
        if base_file is None:
            lines.append(f"| {name} | {count:,} | {load:.2f} | – | – | – | – | – | – | – | – | 0 |")
            continue
        mem_s = base_file[0] if base_mem is None else base_mem[0]
        mem_part = f"{base_mem[0]:.2f}" if base_mem is not None else "(COPY)"
        cpu_ratio = f"{base_file[1] / load.cpu:.0%}" if base_file[1] is not None else "–"
        lines.append(f"| {name} | {count:,} | {load.seconds:.2f} | {count / load.seconds:,.0f} | "
                     f"{base_file[0]:.2f} | **{base_file[0] / load.seconds:.0%}** | {mem_part} | "
                     f"{mem_s / load.seconds:.0%} | {load.cpu:.2f} | {cpu_ratio} | {load.publish:.2f} | "
                     f"{load.result.rows_rejected:,} |")
    lines += ["", "Targets: ratio ≥ 50 % at 1,000,000 rows; an incremental run with nothing new < 1 s.", ""]
    lines += [f"- {note}" for note in notes]
    csv_load = rows[0][4].seconds
    base_mem, base_file = rows[0][3][0], rows[0][2][0]
    lines += [
        "",
        f"## What a durable load of the same CSV costs ({n:,} rows)",
        "",
        "The least a load into the warehouse must do, as bare DuckDB statements in one transaction on the "
        "warehouse schema (no mapping, validation, quarantine or change detection):",
        "",
        "| step | s | cumulative s | in-memory baseline ÷ cumulative |",
        "|---|---:|---:|---:|",
        f"| baseline: read the CSV into a table in memory | {base_mem:.2f} | {base_mem:.2f} | 100% |",
        f"| baseline: read the CSV into a table in a database file, committed | {base_file:.2f} | {base_file:.2f} | "
        f"{base_mem / base_file:.0%} |",
    ]
    total = 0.0
    for label, seconds in steps:
        total += seconds
        lines.append(f"| {label} | {seconds:.2f} | {total:.2f} | {base_mem / total:.0%} |")
    lines.append(f"| the pipeline's load (above) | | {csv_load:.2f} | {base_mem / csv_load:.0%} |")
    lines += ["", "Where the pipeline's CSV load spends its time (seconds; staging statements by file name): "
              + ", ".join(f"`{name}` {seconds:.2f}" for name, seconds in csv_steps)
              + f"; the rest of its {csv_load:.2f} s is the commit and the run's bookkeeping."]
    short = [(name, base_file[0] / load.seconds) for name, count, base_file, _, load in rows
             if count >= n and base_file is not None and base_file[0] / load.seconds < 0.5]
    lines += ["", "## What remains", ""]
    if not short:
        lines.append(f"Every source type at {n:,} rows loads at 50 % or more of its baseline's speed.")
    for name, ratio in short:
        if name.startswith("PostgreSQL") and pg_read:
            lines.append(f"- {name}, {ratio:.0%}: reading the rows with connectorx alone took {pg_read:.2f} s, "
                         f"{pg_read / base_pg[0]:.1f} times the COPY baseline: that read alone, with nothing "
                         f"validated or stored, runs at {base_pg[0] / pg_read:.0%} of its speed. Partitioned reads "
                         "(connectorx `partition_on`) need a numeric column, which this table lacks, and made "
                         "little difference in a trial on two shared cores; ADBC drivers are not installed.")
        else:
            lines.append(f"- {name}, {ratio:.0%}: below the target.")
    xlsx = next((r for r in rows if r[0].startswith("XLSX")), None)
    if xlsx is not None:
        lines.append(f"- XLSX ({xlsx[1]:,} rows), {xlsx[2][0] / xlsx[4].seconds:.0%}: reading the workbook with "
                     f"calamine alone took {xlsx_read:.2f} s, {xlsx_read / xlsx[2][0]:.1f} times the baseline "
                     "(a read of the same rows as CSV), before anything is validated or stored.")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
