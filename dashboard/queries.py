"""Cached, read-only access to the published warehouse: one function per query, each taking the viewer's scope.

The scope (a tuple of unit codes whose subtrees are visible, plus the person for staff who see only their own
items) is always a parameter of the SQL itself, and every other filter can only narrow it: a URL parameter
naming a unit outside the scope selects nothing.

Pages read the marts the pipelines write with every snapshot (dashboard/sql/mart_*.sql over the mart_* tables:
counts per unit and person, daily counts per unit and kind and per person, the counted items in status and
path order, items by key); what the marts do not hold is read from the lights' own tables (an item's light and
its history, the daily unit roll-ups, a person's trend of one kind). The pipelines refresh the marts after every
lights run, before publishing; a snapshot whose marts are missing, or no longer match its item lights, raises
db.NotPrepared, which the pages turn into a sentence rather than counting two million item lights per view.

Results are cached per snapshot file and parameters, so many wall screens on the same board share one read,
and a new snapshot is read as soon as it is published. A snapshot never changes, so an entry past its time to
live is still right: it is served while one background thread reads it again (`refresh_mode="background"`),
and a key read for the first time is computed once while other sessions wait for it (Streamlit's per-key
lock) — no stampede of screens recomputing the same board.
"""
from __future__ import annotations

import functools
import re
import threading
import warnings
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import db, settings

# DuckDB asks to prefer its relational API for Arrow output; the prepared statements here need execute().
warnings.filterwarnings("ignore", message="Arrow output on a DB-API result")


@dataclass(frozen=True)
class Scope:
    units: tuple[str, ...]
    person: str | None = None  # staff see only their own items

    @classmethod
    def of(cls, viewer: Any) -> Scope:
        person = viewer.person_id if getattr(viewer, "role", None) == "staff" else None
        if viewer.role == "staff" and not person:
            # A staff account without a person sees nothing rather than the whole unit.
            return cls(units=(), person=None)
        return cls(units=tuple(viewer.scope), person=person)

    def params(self) -> dict[str, Any]:
        return {"scope": list(self.units), "own_person": self.person}


_local = threading.local()


def set_caching(enabled: bool) -> None:
    """Benchmarks and tests time the bare queries in their own thread; the app always caches."""
    _local.caching = enabled


_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")


@functools.lru_cache(maxsize=None)
def parameters_of(name: str) -> frozenset[str]:
    """The named parameters dashboard/sql/<name>.sql uses (a page passes all its filters; each file takes its own)."""
    return frozenset(_PARAM.findall(_COMMENT.sub("", db.sql_text(name))))


def _execute(snapshot: str, name: str, params: dict[str, Any]) -> pd.DataFrame:
    wanted = parameters_of(name)
    with db.cursor(snapshot) as cursor:
        # Through Arrow: a good deal quicker than DuckDB's own DataFrame conversion for small results.
        table = cursor.execute(db.sql_text(name), {k: v for k, v in params.items() if k in wanted}).to_arrow_table()
    return table.to_pandas(date_as_object=False)


_TTL_S = int(settings.get("XIAONENG_CACHE_TTL_S"))


# A background refresh needs a time to live: with 0 (every read goes to the database) there is nothing to refresh.
@st.cache_data(ttl=_TTL_S, show_spinner=False, max_entries=2000,
               refresh_mode="background" if _TTL_S > 0 else "foreground")
def _cached(snapshot: str, name: str, items: tuple[tuple[str, Any], ...]) -> pd.DataFrame:
    return _execute(snapshot, name, {k: list(v) if isinstance(v, tuple) else v for k, v in items})


def run(name: str, params: dict[str, Any], snapshot: str | None = None) -> pd.DataFrame:
    """Run dashboard/sql/<name>.sql against a snapshot (default: the current one); raises db.NoData before the first
    publish. Parameters the file does not use are left out."""
    snapshot = snapshot or str(db.current_snapshot())
    if not getattr(_local, "caching", True):
        return _execute(snapshot, name, params)
    items = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()
                         if k in parameters_of(name)))
    return _cached(snapshot, name, items)


@functools.lru_cache(maxsize=8)
def _tables(snapshot: str) -> frozenset[str]:
    return frozenset(_execute(snapshot, "snapshot_tables", {})["table_name"])


@functools.lru_cache(maxsize=8)
def _rollups_ready(snapshot: str) -> bool:
    """Whether the snapshot has daily unit roll-ups (unit_light_history) with at least one day in them."""
    if "unit_light_history" not in _tables(snapshot):
        return False
    return int(_execute(snapshot, "rollup_days", {}).iloc[0]["days"]) > 0


MART_TABLES = frozenset({"mart_refresh", "mart_active_item", "mart_item_key", "mart_unit_counts",
                         "mart_person_counts", "mart_newly_red", "mart_daily_counts", "mart_person_daily"})


@functools.lru_cache(maxsize=8)
def _marts_ready(snapshot: str) -> bool:
    """Whether the snapshot has the marts and they describe its item lights (the same as-of time and items)."""
    if not MART_TABLES <= _tables(snapshot):
        return False
    return bool(_execute(snapshot, "mart_state", {}).iloc[0]["ready"])


def _prepared() -> str:
    """The current snapshot, once it is known to hold its marts; raises db.NotPrepared otherwise (db.NoData
    before the first publish)."""
    snapshot = str(db.current_snapshot())
    if not _marts_ready(snapshot):
        raise db.NotPrepared(f"the published snapshot {snapshot} has no marts for its lights")
    return snapshot


def _mart(name: str, params: dict[str, Any]) -> pd.DataFrame:
    """Run dashboard/sql/<name>.sql, a query of the marts, against the current snapshot."""
    return run(name, params, _prepared())


def require_marts() -> None:
    """Raise db.NoData (no snapshot) or db.NotPrepared (no marts for its lights) unless the pages can read."""
    _prepared()


def _rollup_shares() -> dict[str, float]:
    return {"red_share": float(settings.get("XIAONENG_ROLLUP_RED_SHARE")),
            "yellow_share": float(settings.get("XIAONENG_ROLLUP_YELLOW_SHARE"))}


def status_totals(scope: Scope, unit: str | None = None, kind: str | None = None) -> dict[str, int]:
    frame = _mart("mart_status_totals", {**scope.params(), "unit": unit, "kind": kind})
    return {k: int(v) for k, v in frame.iloc[0].items()}


def unit_tree(scope: Scope, unit: str | None = None, kind: str | None = None) -> pd.DataFrame:
    return _mart("mart_unit_tree", {**scope.params(), **_rollup_shares(), "unit": unit, "kind": kind})


def person_rollup(scope: Scope, unit: str | None = None, kind: str | None = None, limit: int = 500) -> pd.DataFrame:
    return _mart("mart_person_rollup",
                 {**scope.params(), **_rollup_shares(), "unit": unit, "kind": kind, "limit": limit})


def status_trend(scope: Scope, since: date, unit: str | None = None, kind: str | None = None,
                 person: str | None = None) -> pd.DataFrame:
    """Items per status and day. A unit subtree's trend comes from the daily unit roll-ups when the lights keep
    them (a few rows a day), a kind's or a person's from the daily count marts (which cover the last 40 days), a
    person's items of one kind from the item history."""
    snapshot = _prepared()
    params = {**scope.params(), "since": since, "unit": unit, "kind": kind, "person": person}
    mine = person is not None or scope.person is not None
    if mine:
        return run("mart_person_trend" if kind is None else "person_kind_trend", params, snapshot)
    if kind is None and _rollups_ready(snapshot):
        return run("unit_trend", params, snapshot)
    return run("mart_trend", params, snapshot)


def newly_red(scope: Scope, unit: str | None = None, kind: str | None = None, limit: int = 50) -> pd.DataFrame:
    """The counted items red now that were not red on the latest history day before today, most overdue first
    (`limit` of them; every row carries the total): always a part of the red items `status_totals` counts."""
    return _mart("mart_newly_red", {**scope.params(), "unit": unit, "kind": kind, "limit": limit})


@dataclass(frozen=True)
class Worklist:
    """The worklist filters; every field narrows, none can widen the viewer's scope."""
    unit: str | None = None
    kind: str | None = None
    category: str | None = None
    statuses: tuple[str, ...] = ()
    open_only: bool = False
    min_overdue: float | None = None
    due_from: date | None = None
    due_to: date | None = None
    q: str | None = None
    person: str | None = None
    day: date | None = None
    sort: str = "overdue"

    def params(self) -> dict[str, Any]:
        return {"unit": self.unit, "kind": self.kind, "category": self.category, "statuses": list(self.statuses),
                "open_only": self.open_only, "min_overdue": self.min_overdue, "due_from": self.due_from,
                "due_to": self.due_to, "q": self.q or None, "person": self.person, "day": self.day,
                "sort": self.sort}


@dataclass(frozen=True)
class WorklistPage:
    """One page of the worklist and the counts of the whole list it belongs to (the pager's)."""
    rows: pd.DataFrame
    total: int
    red: int
    yellow: int

    def counts(self) -> dict[str, int]:
        return {"total": self.total, "red": self.red, "yellow": self.yellow}


def worklist_page(scope: Scope, filters: Worklist, limit: int | None, offset: int = 0) -> WorklistPage:
    """One page of the worklist with the totals of every matching row, from one query (mart_worklist.sql);
    `limit=None` returns every matching row (the export). A list about a past day (`filters.day`) lists the
    items of that day with the status they had then."""
    frame = _mart("mart_worklist", {**scope.params(), **filters.params(), "limit": limit, "offset": offset})
    first = frame.iloc[0]
    # A page past the end of the list (or an empty list) is one row of totals without an item.
    rows = frame[frame["item_id"].notna()].drop(columns=["total", "total_red", "total_yellow"]).reset_index(drop=True)
    return WorklistPage(rows=rows, total=int(first["total"]), red=int(first["total_red"]),
                        yellow=int(first["total_yellow"]))


def worklist(scope: Scope, filters: Worklist, limit: int | None, offset: int = 0) -> pd.DataFrame:
    """The rows of one page of the worklist (every matching row with `limit=None`)."""
    return worklist_page(scope, filters, limit, offset).rows


def worklist_count(scope: Scope, filters: Worklist) -> dict[str, int]:
    """How many items match the filters (total, red, yellow): the same query as the page, without its rows."""
    return worklist_page(scope, filters, limit=0).counts()


def filter_options(scope: Scope) -> pd.DataFrame:
    return _mart("mart_filter_options", scope.params())


def item_detail(scope: Scope, kind: str, item: str) -> dict[str, Any] | None:
    frame = run("item_detail", {**scope.params(), "kind": kind, "item": item})
    return None if frame.empty else frame.iloc[0].to_dict()


def item_history(scope: Scope, kind: str, item: str) -> pd.DataFrame:
    return run("item_history", {**scope.params(), "kind": kind, "item": item})


def document_steps(scope: Scope, item: str) -> pd.DataFrame:
    return _mart("mart_document_steps", {"scope": list(scope.units), "item": item})


def milestone_nodes(scope: Scope, item: str) -> pd.DataFrame:
    return _mart("mart_milestone_nodes", {"scope": list(scope.units), "item": item})


def request_lifecycle(scope: Scope, item: str) -> dict[str, Any] | None:
    frame = run("request_lifecycle", {"scope": list(scope.units), "item": item})
    return None if frame.empty else frame.iloc[0].to_dict()


def clock_events(scope: Scope, kind: str, item: str) -> pd.DataFrame:
    return _mart("mart_clock_events", {"scope": list(scope.units), "kind": kind, "item": item})


def item_changes(scope: Scope, kind: str, item: str) -> pd.DataFrame:
    return _mart("mart_item_changes", {"scope": list(scope.units), "kind": kind, "item": item})


def person_detail(scope: Scope, person: str) -> dict[str, Any] | None:
    frame = run("person_detail", {**scope.params(), "person": person})
    return None if frame.empty else frame.iloc[0].to_dict()


def source_freshness() -> pd.DataFrame:
    """Not unit-scoped: which sources ran when is shown to everyone who may see the dashboard."""
    return run("source_freshness", {})


def source_expectations() -> pd.DataFrame:
    """How often each source is expected to succeed, when the pipelines keep a source status table."""
    if "source_status" not in _tables(str(db.current_snapshot())):
        return pd.DataFrame(columns=["pipeline", "kind", "expected_interval_s", "last_state"])
    return run("source_expectations", {})


def rule_thresholds(item: dict[str, Any]) -> pd.DataFrame:
    """The declarations of the rule behind an item's light that apply to it, when the lights record their rule
    set (light_rule); the item comes from `item_detail`, so it is already within the viewer's scope."""
    if "light_rule" not in _tables(str(db.current_snapshot())):
        return pd.DataFrame()
    job = item.get("job_category")
    return run("rule_thresholds", {
        "rule": item["rule_id"], "version": item["rule_version"], "category": item.get("category"),
        "job": job if isinstance(job, str) else None, "unit_path": item["unit_path"]})


def quarantine_reasons() -> pd.DataFrame:
    return run("quarantine_reasons", {})


def recent_runs(limit: int = 50) -> pd.DataFrame:
    return run("recent_runs", {"limit": limit})


def lights_as_of() -> dict[str, Any]:
    return _mart("mart_lights_as_of", {}).iloc[0].to_dict()
