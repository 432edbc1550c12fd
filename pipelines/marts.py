"""The dashboard's read models (mart_* tables): rewritten from the lights after every lights run, before publishing.

A page of the dashboard must not count two million item lights at every view. `refresh(con, as_of)` writes,
from item_light and item_light_history, the few small tables the pages read instead (pipelines/sql/marts/):
counts per unit and per person, daily counts per unit and kind and per person for trends, the counted items
newly red (red now, not red on the latest history day before), every item's unit and light under a hash of its
id (the item page), and the counted items ("active": open, or closed in the last 30 days) in status and unit
path order, so that a list reads only its own part. Call it in the writer connection right after
`lights.recompute(con, as_of)` with the same as_of, before publishing; the whole refresh is one transaction.
"""
from __future__ import annotations

import contextlib
import logging
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import duckdb

from pipelines import settings, sqlfiles

LOG = logging.getLogger(__name__)
# The dashboard's counting window (docs/dashboard.md, "Unit and person lights"), the same as the view unit_status.
CLOSED_DAYS = 30
# Days of daily counts kept: the trends show 30 days; a little more lets a trend start on a day with no history.
TREND_DAYS = 40
CHECKS = ("active_item_key", "item_key_key", "unit_counts_key", "person_counts_key", "newly_red_key",
          "daily_counts_key", "person_daily_key", "history_day_key", "refresh_single",
          "active_items_match_unit_counts", "newly_red_within_red", "daily_counts_match_history",
          "person_daily_match_history")
# The large ordered marts (active items, item keys) are written whole on the first refresh of a local day (every
# open item's light moves then anyway) or when too many rows were appended since; otherwise only the rows whose
# hash changed are deleted and appended, which costs a scan instead of a sort and a write of every row.
APPENDED_SHARE = 0.1
SOURCES = ("active_item_source", "item_key_source")
WHOLE = ("active_item_clear", "active_item_insert", "item_key_clear", "item_key_insert")
# Each compares the mart with what it must hold once (a full join into a temporary table), then deletes and appends
# from that: the comparison, not the few changed rows, is what costs.
CHANGED = ("active_item_changes", "active_item_delete_changed", "active_item_insert_changed", "item_key_changes",
           "item_key_delete_changed", "item_key_insert_changed")
# The small marts are written again whole; the daily counts (per unit and kind, per person) recount only the
# days whose item history changed.
STEPS = ("unit_counts_clear", "unit_counts_insert", "person_counts_clear", "person_counts_insert",
         "newly_red_clear", "newly_red_insert", "history_source", "history_changed", "daily_counts_delete",
         "daily_counts_insert", "person_daily_delete", "person_daily_insert", "history_day_clear",
         "history_day_insert", "refresh_clear", "refresh_insert")
TEMP_TABLES = ("mart_history_source", "mart_history_changed", "mart_active_changes", "mart_item_key_changes")

def sql_text(name: str) -> str:
    return sqlfiles.text("marts", name)


def run_sql(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> list[tuple]:
    """Execute one statement file with the named parameters it uses (and only those); returns its rows."""
    return sqlfiles.execute(con, "marts", name, params).fetchall()


def refresh(con: duckdb.DuckDBPyConnection, as_of: datetime, *, whole: bool | None = None) -> dict:
    """Bring every mart up to the current lights computed for `as_of` (aware); returns counts and timings.

    `whole=True` writes the large ordered marts again whole, `False` only their changed rows; by default whole on
    the first refresh of a local day or when many rows were appended since. The refresh owns its transaction:
    call it outside one.
    """
    if as_of.tzinfo is None or as_of.utcoffset() is None:
        raise ValueError(f"as_of must be an aware datetime, got {as_of!r}")
    started = time.perf_counter()
    day = as_of.astimezone(ZoneInfo(settings.get("XIAONENG_TZ"))).date()
    con.execute("begin transaction")
    try:
        result = _write(con, as_of, day, whole)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    finally:
        for name in TEMP_TABLES:
            con.execute(f"drop table if exists temp.{name}")  # identifiers from the constant list above
    result["seconds"] = round(time.perf_counter() - started, 3)
    return result


def _write(con: duckdb.DuckDBPyConnection, as_of: datetime, day: date, whole: bool | None) -> dict:
    (previous_day,), = run_sql(con, "previous_day", {"day": day})
    last = run_sql(con, "refresh_last")
    params = {"as_of": as_of, "day": day, "previous_day": previous_day, "closed_days": CLOSED_DAYS,
              "trend_from": day - timedelta(days=TREND_DAYS), "appended_share": APPENDED_SHARE}
    timings: dict[str, float] = {}

    def step(name: str) -> list[tuple]:
        step_started = time.perf_counter()
        rows = run_sql(con, name, params)
        timings[name] = round(time.perf_counter() - step_started, 3)
        return rows

    for name in SOURCES:
        step(name)
    if whole is None or not last:
        (whole,), = run_sql(con, "rewrite_whole", params)
    if whole:
        for name in WHOLE:
            step(name)
        params.update(rewritten_day=day, appended_rows=0)
    else:
        appended = 0
        for name in CHANGED:
            rows = step(name)
            if name == "active_item_insert_changed":
                appended = rows[0][0]
        (rewritten_day, appended_before), = last
        params.update(rewritten_day=rewritten_day, appended_rows=appended_before + appended)
    for name in STEPS:
        step(name)
    (lights_as_of, items, active, recounted), = run_sql(con, "refresh_summary")
    if lights_as_of is not None and lights_as_of != as_of:
        # The counts follow the item lights as they are; only "newly red" and the trend window use as_of.
        LOG.warning("marts refreshed for %s, but the item lights are as of %s", as_of.isoformat(),
                    lights_as_of.isoformat())
    return {"as_of": as_of.isoformat(), "items": items, "active_items": active, "whole": bool(whole),
            "appended_rows": params["appended_rows"],
            "previous_day": previous_day.isoformat() if previous_day else None, "days_recounted": recounted,
            "timings": timings}


def check(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Run every check of pipelines/sql/marts/checks/; returns the violating rows of those that found any."""
    found = {}
    for name in CHECKS:
        rows = run_sql(con, f"checks/{name}")
        if rows:
            found[name] = rows
    return found
