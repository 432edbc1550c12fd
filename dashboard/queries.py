"""Cached, read-only access to the published warehouse: one function per query, each taking the viewer's scope.

The scope (a tuple of unit codes whose subtrees are visible, plus the person for staff who see only their own
items) is always a parameter of the SQL itself, and every other filter can only narrow it: a URL parameter
naming a unit outside the scope selects nothing.

Pages read the marts the pipelines write with each snapshot (dashboard/sql/mart_*.sql over the mart_* tables:
counts per unit and person, daily counts per unit and kind and per person, the counted items in status and
path order, items by key). A
snapshot published without them, or whose marts no longer match its item lights, is answered from the item
tables instead (the same file names without `mart_`): slower at province scale, but the same rows, which is
also how the marts are tested.

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
    """The named parameters dashboard/sql/<name>.sql uses: a query over the marts may need fewer than its fallback."""
    return frozenset(_PARAM.findall(_COMMENT.sub("", db.sql_text(name))))


def _execute(snapshot: str, name: str, params: dict[str, Any]) -> pd.DataFrame:
    wanted = parameters_of(name)
    cursor = db.cursor(snapshot)
    try:
        # Through Arrow: a good deal quicker than DuckDB's own DataFrame conversion for small results.
        result = cursor.execute(db.sql_text(name), {k: v for k, v in params.items() if k in wanted})
        return result.to_arrow_table().to_pandas(date_as_object=False)
    finally:
        cursor.close()


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
def _mart_window(snapshot: str) -> date | None:
    """The first day the daily count marts cover, when the snapshot's marts describe its item lights; else None."""
    if not MART_TABLES <= _tables(snapshot):
        return None
    state = _execute(snapshot, "mart_state", {}).iloc[0]
    return pd.Timestamp(state["trend_from"]).date() if bool(state["ready"]) else None


def _read(name: str, params: dict[str, Any], use_mart: bool = True) -> pd.DataFrame:
    """Run mart_<name>.sql when the current snapshot has its marts (and `use_mart`), else <name>.sql on the items."""
    snapshot = str(db.current_snapshot())
    if use_mart and _mart_window(snapshot) is not None:
        return run(f"mart_{name}", params, snapshot)
    return run(name, params, snapshot)


def marts_ready() -> bool:
    """Whether the pages read the current snapshot's marts (else they count the item tables)."""
    return _mart_window(str(db.current_snapshot())) is not None


def _rollup_shares() -> dict[str, float]:
    return {"red_share": float(settings.get("XIAONENG_ROLLUP_RED_SHARE")),
            "yellow_share": float(settings.get("XIAONENG_ROLLUP_YELLOW_SHARE"))}


def status_totals(scope: Scope, unit: str | None = None, kind: str | None = None) -> dict[str, int]:
    frame = _read("status_totals", {**scope.params(), "unit": unit, "kind": kind})
    return {k: int(v) for k, v in frame.iloc[0].items()}


def unit_tree(scope: Scope, unit: str | None = None, kind: str | None = None) -> pd.DataFrame:
    return _read("unit_tree", {**scope.params(), **_rollup_shares(), "unit": unit, "kind": kind})


def person_rollup(scope: Scope, unit: str | None = None, kind: str | None = None, limit: int = 500) -> pd.DataFrame:
    return _read("person_rollup", {**scope.params(), **_rollup_shares(), "unit": unit, "kind": kind, "limit": limit})


def status_trend(scope: Scope, since: date, unit: str | None = None, kind: str | None = None,
                 person: str | None = None) -> pd.DataFrame:
    """Items per status and day. A unit subtree's trend comes from the daily unit roll-ups when the lights keep
    them (a few rows a day instead of every open item), a kind's or a person's from the daily count marts; what
    those do not cover (a person's items of one kind, days before the marts' window) counts the item history."""
    snapshot = str(db.current_snapshot())
    params = {**scope.params(), "since": since, "unit": unit, "kind": kind, "person": person}
    mine = person is not None or scope.person is not None
    if not mine and kind is None and _rollups_ready(snapshot):
        return run("unit_trend", params, snapshot)
    trend_from = _mart_window(snapshot)
    if trend_from is not None and since >= trend_from and not (mine and kind is not None):
        return run("mart_person_trend" if mine else "mart_trend", params, snapshot)
    return run("status_trend", params, snapshot)


def newly_red(scope: Scope, unit: str | None = None, kind: str | None = None, limit: int = 50) -> pd.DataFrame:
    return _read("newly_red", {**scope.params(), "unit": unit, "kind": kind, "limit": limit})


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
                "due_to": self.due_to, "q": self.q or None, "person": self.person, "day": self.day}


def worklist(scope: Scope, filters: Worklist, limit: int | None, offset: int = 0) -> pd.DataFrame:
    """One page of the worklist; `limit=None` returns every matching row (the export). A list about a past day
    (`filters.day`) reads the item history."""
    return _read("worklist", {**scope.params(), **filters.params(), "sort": filters.sort, "limit": limit,
                              "offset": offset}, use_mart=filters.day is None)


def worklist_count(scope: Scope, filters: Worklist) -> dict[str, int]:
    frame = _read("worklist_count", {**scope.params(), **filters.params()}, use_mart=filters.day is None)
    return {k: int(v) for k, v in frame.iloc[0].items()}


def filter_options(scope: Scope) -> pd.DataFrame:
    # The unit marts count every item of a unit; staff see only their own, so theirs are counted from the items.
    return _read("filter_options", scope.params(), use_mart=scope.person is None)


def item_detail(scope: Scope, kind: str, item: str) -> dict[str, Any] | None:
    frame = run("item_detail", {**scope.params(), "kind": kind, "item": item})
    return None if frame.empty else frame.iloc[0].to_dict()


def item_history(scope: Scope, kind: str, item: str) -> pd.DataFrame:
    return run("item_history", {**scope.params(), "kind": kind, "item": item})


def document_steps(scope: Scope, item: str) -> pd.DataFrame:
    return _read("document_steps", {"scope": list(scope.units), "item": item})


def milestone_nodes(scope: Scope, item: str) -> pd.DataFrame:
    return _read("milestone_nodes", {"scope": list(scope.units), "item": item})


def request_lifecycle(scope: Scope, item: str) -> dict[str, Any] | None:
    frame = run("request_lifecycle", {"scope": list(scope.units), "item": item})
    return None if frame.empty else frame.iloc[0].to_dict()


def clock_events(scope: Scope, kind: str, item: str) -> pd.DataFrame:
    return _read("clock_events", {"scope": list(scope.units), "kind": kind, "item": item})


def item_changes(scope: Scope, kind: str, item: str) -> pd.DataFrame:
    return _read("item_changes", {"scope": list(scope.units), "kind": kind, "item": item})


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
    return _read("lights_as_of", {}).iloc[0].to_dict()
