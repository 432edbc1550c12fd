"""Traffic lights for every tracked item, rolled up to persons and units: the set-based recompute and its command.

`recompute(con, as_of)` runs inside the writer connection (after every load, and on a schedule). It copies
the user decisions from the app database, rebuilds the calendars and the unit tree, applies the rule set
to every item in a handful of SQL statements (pipelines/sql/lights/), and writes item_light (only the rows
whose light or shown values changed), its history, the person and unit rollups and the rate lights in one
transaction. Readers only ever see published snapshots, taken after a recompute has finished.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import logging
import math
import re
import sqlite3
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa
from tqdm import tqdm

from pipelines import calendar, clock, marts, rules, settings, sqlfiles, warehouse

LOG = logging.getLogger(__name__)
YEARS_AROUND_AS_OF = 30      # clocks beyond this many years from as_of are "outside the calendar"
DECISION_COLUMNS = ("decision_id", "kind", "item_id", "decision_type", "reason_code", "note", "decided_by",
                    "decided_at", "revoked_at", "revoked_by")

def sql_text(name: str) -> str:
    return sqlfiles.text("lights", name)


def run_sql(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> list[tuple]:
    """Execute one statement file with the named parameters it uses (and only those); returns its rows."""
    return sqlfiles.execute(con, "lights", name, params).fetchall()


def read_decisions(app_db: Path) -> pa.Table:
    """Every row of the app database's `decision` table; none when the file or the table does not exist."""
    empty = pa.table({c: pa.array([], pa.string()) for c in DECISION_COLUMNS})
    if not app_db.exists():
        return empty
    con = sqlite3.connect(f"file:{app_db}?mode=ro", uri=True)
    try:
        if not con.execute(sql_text("app_decision_table")).fetchone():
            return empty
        rows = con.execute(sql_text("app_decisions")).fetchall()
    finally:
        con.close()
    columns = list(zip(*rows)) if rows else [[] for _ in DECISION_COLUMNS]
    return pa.table({c: pa.array([None if v is None else str(v) for v in col], pa.string())
                     for c, col in zip(DECISION_COLUMNS, columns)})


def copy_decisions(con: duckdb.DuckDBPyConnection, app_db: Path) -> int:
    frame = read_decisions(app_db)
    con.register("app_decision_frame", frame)
    try:
        run_sql(con, "decision_clear")
        run_sql(con, "decision_copy")
    finally:
        con.unregister("app_decision_frame")
    return frame.num_rows


def refresh_calendars(con: duckdb.DuckDBPyConnection, as_of: datetime, tz_name: str,
                      config: calendar.CalendarConfig) -> dict:
    """Rebuild calendar_day, dim_calendar, office_minute and unit_calendar for the whole years the data needs."""
    (first_day, last_day, max_limit), = run_sql(con, "calendar_range", {"tz": tz_name, "as_of": as_of})
    # Room after the last date for the longest time limit (about 250 working days a year), plus a year.
    extra_years = math.ceil((max_limit or 0) / 240) + 1
    first_year = max(first_day.year, as_of.year - YEARS_AROUND_AS_OF)
    last_year = min(last_day.year + extra_years, as_of.year + YEARS_AROUND_AS_OF)
    offset = calendar.fixed_utc_offset(ZoneInfo(tz_name), date(first_year, 1, 1), date(last_year, 12, 31))
    calendars = calendar.build(config, first_year, last_year, ZoneInfo(tz_name))
    days, minutes, units = calendar.frames(calendars)
    frames = {"calendar_frame": days, "office_minute_frame": minutes, "calendar_unit_frame": units}
    for name, frame in frames.items():
        con.register(name, frame)
    try:
        for name in ("calendar_day_clear", "calendar_day_insert", "dim_calendar_clear", "dim_calendar_insert",
                     "office_minute_clear", "office_minute_insert", "unit_calendar_clear", "unit_calendar_insert"):
            run_sql(con, name)
    finally:
        for name in frames:
            con.unregister(name)
    return {"first_day": date(first_year, 1, 1).isoformat(), "last_day": date(last_year, 12, 31).isoformat(),
            "assumed_years": list(calendars[0].assumed_years), "utc_offset_s": int(offset.total_seconds())}


def relation_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(run_sql(con, "relation_exists", {"name": name}))


# Working tables (temp) first; then the warehouse tables.
WORK_STEPS = ("rule_applied", "pause", "compute", "counted", "unit_counts")
ROLLUP_WRITE_STEPS = ("unit_history_clear", "unit_history_insert", "unit_light_clear", "unit_light_insert",
                      "person_light_clear", "person_light_insert", "rate_light_clear", "rate_light_insert")
MACROS = ("macro_local_time", "macro_instant", "macro_work_seconds", "macro_office_seconds", "macro_format_days",
          "macro_format_time", "macro_rollup_light", "macro_light_code", "macro_light_items")
TEMP_TABLES = ("light_rule_applied", "light_pause", "light_new", "light_counted", "light_unit_counts",
               "light_stale")


def _compute(con: duckdb.DuckDBPyConnection, as_of: datetime, run_id: int, rule_set: rules.RuleSet,
             calendar_config: calendar.CalendarConfig, app_db: Path, tz_name: str) -> dict:
    timings: dict[str, float] = {}

    def step(name: str, params: dict | None = None) -> None:
        started = time.perf_counter()
        run_sql(con, name, params)
        timings[name] = round(time.perf_counter() - started, 3)

    started = time.perf_counter()
    decisions = copy_decisions(con, app_db)
    timings["decisions"] = round(time.perf_counter() - started, 3)
    step("unit_ancestor_clear")
    step("unit_ancestor_insert")
    started = time.perf_counter()
    calendar_info = refresh_calendars(con, as_of, tz_name, calendar_config)
    timings["calendars"] = round(time.perf_counter() - started, 3)
    con.register("rule_frame", rule_set.rule_frame())
    try:
        step("light_rule_clear")
        step("light_rule_insert")
    finally:
        con.unregister("rule_frame")
    step("stale_from_status" if relation_exists(con, "source_status") else "stale_none")
    for name in MACROS:
        step(name)

    step("work_settings_on")
    day = as_of.astimezone(ZoneInfo(tz_name)).date()
    params = {**rule_set.parameters(), "as_of": as_of, "tz": tz_name, "run_id": run_id, "day": day,
              "off_us": calendar_info["utc_offset_s"] * 1_000_000}
    for name in WORK_STEPS:
        step(name, params)
    # Only changed lights are rewritten; lights of items no longer tracked (rare) are removed.
    (gone,), = run_sql(con, "item_light_gone_count")
    for name in ("item_light_delete_changed", *(("item_light_delete_gone",) if gone else ()), "item_light_insert"):
        step(name, params)
    # The first run of a day writes the day's snapshot; later runs that day record changes only.
    (snapshot_taken,), = run_sql(con, "history_exists", params)
    (status_changes,), = run_sql(con, "status_changed_count")
    if not snapshot_taken:
        step("history_snapshot", params)
    elif status_changes:
        step("history_delete", params)
        step("history_changes", params)
    for name in ROLLUP_WRITE_STEPS:
        step(name, params)
    step("work_settings_off")
    rows = run_sql(con, "summary")
    (assumed_items,), = run_sql(con, "assumed_count")
    (changed,), = run_sql(con, "changed_count")
    for name in TEMP_TABLES:
        con.execute(f"drop table if exists temp.{name}").fetchall()  # identifiers from the constant list above

    by_kind: dict[str, dict[str, int]] = {}
    by_status: dict[str, int] = {}
    for kind, status, n in rows:
        by_kind.setdefault(kind, {})[status] = n
        by_status[status] = by_status.get(status, 0) + n
    warnings = []
    if assumed_items:
        warnings.append(f"{assumed_items} lights count working days on days without an official calendar; "
                        + calendar.assumed_warning(calendar_info["assumed_years"]))
    return {
        "run_id": run_id,
        "as_of": as_of.isoformat(),
        "rule_version": rule_set.version,
        "items": sum(by_status.values()),
        "by_status": by_status,
        "by_kind": by_kind,
        "rewritten": changed,
        "decisions": decisions,
        "calendar": calendar_info,
        "warnings": warnings,
        "timings": timings,
    }


def recompute(con: duckdb.DuckDBPyConnection, as_of: datetime, run_id: int | None = None, *,
              rule_set: rules.RuleSet | None = None,
              calendar_config: calendar.CalendarConfig | None = None,
              app_db: Path | None = None) -> dict:
    """Recompute every light for `as_of` (aware); returns a summary of the run.

    The recompute owns its transactions (the lights, then the confirmation of unchanged rows): call it outside one.

    With `run_id` None the recompute records its own pipeline_run row ('lights'); a caller that runs it
    as part of its own run passes that run's id. Rules and calendars are read from XIAONENG_CONFIG and
    decisions from XIAONENG_APP_DB unless given.
    """
    if as_of.tzinfo is None or as_of.utcoffset() is None:
        raise ValueError(f"as_of must be an aware datetime, got {as_of!r}")
    started = time.perf_counter()
    rule_set = rule_set or rules.load_rules()
    calendar_config = calendar_config or calendar.load_config()
    app_db = app_db or settings.path("XIAONENG_APP_DB")
    tz_name = settings.get("XIAONENG_TZ")
    ZoneInfo(tz_name)  # fail early on an unknown zone

    own_run = run_id is None
    if own_run:
        (run_id,), = run_sql(con, "run_start", {"started_at": clock.now()})
    con.execute("begin transaction")
    try:
        result = _compute(con, as_of, run_id, rule_set, calendar_config, app_db, tz_name)
        committing = time.perf_counter()
        con.execute("commit")
        result["timings"]["commit"] = round(time.perf_counter() - committing, 3)
        # Unchanged rows are confirmed for this run on their own: DuckDB updates them much faster outside
        # the transaction that deleted and inserted the changed rows. Until then they show the last run's
        # time, which is still true of them; readers only ever see the published snapshot after this.
        con.execute("begin transaction")
        _touch(con, as_of, run_id, result)
        committing = time.perf_counter()
        con.execute("commit")
        result["timings"]["touch_commit"] = round(time.perf_counter() - committing, 3)
    except Exception as exc:
        con.execute("rollback")
        # The run's settings must not outlive it.
        with contextlib.suppress(duckdb.Error):
            run_sql(con, "work_settings_off")
        if own_run:
            _finish(con, run_id, "failed", 0, f"{type(exc).__name__}: {exc}".splitlines()[0], {})
        raise
    result["seconds"] = round(time.perf_counter() - started, 3)
    for warning in result["warnings"]:
        # A long-running scheduler would repeat the same warning every run: say it loudly once per process.
        kind = re.sub(r"\d+", "#", warning)
        LOG.log(logging.DEBUG if kind in _WARNED else logging.WARNING, warning)
        _WARNED.add(kind)
    if own_run:
        _finish(con, run_id, "success", result["items"], None, result)
    return result


def _touch(con: duckdb.DuckDBPyConnection, as_of: datetime, run_id: int, result: dict) -> None:
    started = time.perf_counter()
    run_sql(con, "item_light_touch", {"as_of": as_of, "run_id": run_id})
    result["timings"]["item_light_touch"] = round(time.perf_counter() - started, 3)


def _finish(con: duckdb.DuckDBPyConnection, run_id: int, state: str, rows: int, error: str | None,
            detail: dict) -> None:
    run_sql(con, "run_finish", {"finished_at": clock.now(), "state": state, "rows": rows, "error": error,
                                "detail": json.dumps(detail, ensure_ascii=False), "run_id": run_id})


_WARNED: set[str] = set()


def replay_history(con: duckdb.DuckDBPyConnection, as_of: datetime, days: int) -> int:
    """Compute the daily snapshot at the end of office hours for past days that have none; returns how many."""
    missing = []
    for back in range(days, 0, -1):
        day = (as_of - timedelta(days=back)).date()
        have = con.execute("select count(*) from item_light_history where snapshot_day = ?", [day]).fetchone()[0]
        if not have:
            missing.append(datetime.combine(day, dtime(18, 0), tzinfo=as_of.tzinfo))
    for past in tqdm(missing, desc="history", unit="day", disable=not missing):
        recompute(con, past)
    return len(missing)


def main(argv: list[str] | None = None) -> int:
    """`python -m pipelines lights [--as-of TIME]`: recompute every light and publish a snapshot."""
    parser = argparse.ArgumentParser(
        prog="python -m pipelines lights",
        description="Recompute every traffic light, rollup and rate for a time, then publish a snapshot.")
    parser.add_argument("--as-of", metavar="TIME",
                        help="ISO-8601 time to compute the lights for (without offset: XIAONENG_TZ); "
                             "default: now")
    parser.add_argument("--history-days", metavar="N", type=int, default=0,
                        help="first replay the end of each of the N days before --as-of that has no daily "
                             "snapshot yet, so trends and 'newly red since yesterday' have a past to compare with")
    args = parser.parse_args(argv)
    try:
        as_of = clock.parse_time(args.as_of) if args.as_of else clock.now()
    except ValueError:
        print(f"xiaoneng lights: --as-of {args.as_of!r} is not an ISO-8601 time such as 2026-03-16T10:00",
              file=sys.stderr)
        return 2
    try:
        with warehouse.writer() as con:
            replay_history(con, as_of, args.history_days)
            result = recompute(con, as_of)
            marts.refresh(con, as_of)
            warehouse.publish(con)
    except (rules.RulesError, calendar.CalendarConfigError) as exc:
        print(f"xiaoneng lights: configuration error: {exc}", file=sys.stderr)
        return 2
    except warehouse.WarehouseBusy as exc:
        print(f"xiaoneng lights: {exc}; try again when the running pipeline has finished", file=sys.stderr)
        return 1
    counts = ", ".join(f"{status} {n}" for status, n in sorted(result["by_status"].items()))
    print(f"lights as of {result['as_of']} (rules {result['rule_version']}, run {result['run_id']}): "
          f"{result['items']} items — {counts or 'none'}; {result['seconds']:.1f} s")
    # Warnings were logged by the recompute (once per kind in this process).
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
