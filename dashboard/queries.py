"""Cached, read-only access to the published warehouse: one function per .sql file, each taking the viewer's scope.

The scope (a tuple of unit codes whose subtrees are visible, plus the person for staff who see only their own
items) is always a parameter of the SQL itself, and every other filter can only narrow it: a URL parameter
naming a unit outside the scope selects nothing. Results are cached per snapshot file and parameters, so many
wall screens on the same board share one read, and a new snapshot is read as soon as it is published.
"""
from __future__ import annotations

import functools
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


def _execute(snapshot: str, name: str, params: dict[str, Any]) -> pd.DataFrame:
    cursor = db.cursor(snapshot)
    try:
        # Through Arrow: a good deal quicker than DuckDB's own DataFrame conversion for small results.
        return cursor.execute(db.sql_text(name), params).to_arrow_table().to_pandas(date_as_object=False)
    finally:
        cursor.close()


@st.cache_data(ttl=int(settings.get("XIAONENG_CACHE_TTL_S")), show_spinner=False, max_entries=2000)
def _cached(snapshot: str, name: str, items: tuple[tuple[str, Any], ...]) -> pd.DataFrame:
    return _execute(snapshot, name, {k: list(v) if isinstance(v, tuple) else v for k, v in items})


def run(name: str, params: dict[str, Any]) -> pd.DataFrame:
    """Run dashboard/sql/<name>.sql against the current snapshot; raises db.NoData before the first publish."""
    snapshot = str(db.current_snapshot())
    if not getattr(_local, "caching", True):
        return _execute(snapshot, name, params)
    items = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    return _cached(snapshot, name, items)


def _rollup_shares() -> dict[str, float]:
    return {"red_share": float(settings.get("XIAONENG_ROLLUP_RED_SHARE")),
            "yellow_share": float(settings.get("XIAONENG_ROLLUP_YELLOW_SHARE"))}


def status_totals(scope: Scope, unit: str | None = None, kind: str | None = None) -> dict[str, int]:
    frame = run("status_totals", {**scope.params(), "unit": unit, "kind": kind})
    return {k: int(v) for k, v in frame.iloc[0].items()}


def unit_tree(scope: Scope, unit: str | None = None, kind: str | None = None) -> pd.DataFrame:
    return run("unit_tree", {**scope.params(), **_rollup_shares(), "unit": unit, "kind": kind})


def person_rollup(scope: Scope, unit: str | None = None, kind: str | None = None, limit: int = 500) -> pd.DataFrame:
    return run("person_rollup", {**scope.params(), **_rollup_shares(), "unit": unit, "kind": kind, "limit": limit})


@functools.lru_cache(maxsize=8)
def _tables(snapshot: str) -> frozenset[str]:
    return frozenset(_execute(snapshot, "snapshot_tables", {})["table_name"])


@functools.lru_cache(maxsize=8)
def _rollups_ready(snapshot: str) -> bool:
    """Whether the snapshot has daily unit roll-ups (unit_light_history) with at least one day in them."""
    if "unit_light_history" not in _tables(snapshot):
        return False
    return int(_execute(snapshot, "rollup_days", {}).iloc[0]["days"]) > 0


def status_trend(scope: Scope, since: date, unit: str | None = None, kind: str | None = None,
                 person: str | None = None) -> pd.DataFrame:
    """Items per status and day. A unit subtree's trend comes from the daily unit roll-ups when the lights keep
    them (a few rows a day instead of every open item); a kind, a person or a staff scope counts item history."""
    if kind is None and person is None and scope.person is None and _rollups_ready(str(db.current_snapshot())):
        return run("unit_trend", {"scope": list(scope.units), "since": since, "unit": unit})
    return run("status_trend", {**scope.params(), "since": since, "unit": unit, "kind": kind, "person": person})


def newly_red(scope: Scope, unit: str | None = None, kind: str | None = None, limit: int = 50) -> pd.DataFrame:
    return run("newly_red", {**scope.params(), "unit": unit, "kind": kind, "limit": limit})


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
    """One page of the worklist; `limit=None` returns every matching row (the export)."""
    return run("worklist", {**scope.params(), **filters.params(), "sort": filters.sort,
                            "limit": limit, "offset": offset})


def worklist_count(scope: Scope, filters: Worklist) -> dict[str, int]:
    frame = run("worklist_count", {**scope.params(), **filters.params()})
    return {k: int(v) for k, v in frame.iloc[0].items()}


def filter_options(scope: Scope) -> pd.DataFrame:
    return run("filter_options", scope.params())


def item_detail(scope: Scope, kind: str, item: str) -> dict[str, Any] | None:
    frame = run("item_detail", {**scope.params(), "kind": kind, "item": item})
    return None if frame.empty else frame.iloc[0].to_dict()


def item_history(scope: Scope, kind: str, item: str) -> pd.DataFrame:
    return run("item_history", {**scope.params(), "kind": kind, "item": item})


def document_steps(scope: Scope, item: str) -> pd.DataFrame:
    return run("document_steps", {"scope": list(scope.units), "item": item})


def milestone_nodes(scope: Scope, item: str) -> pd.DataFrame:
    return run("milestone_nodes", {"scope": list(scope.units), "item": item})


def request_lifecycle(scope: Scope, item: str) -> dict[str, Any] | None:
    frame = run("request_lifecycle", {"scope": list(scope.units), "item": item})
    return None if frame.empty else frame.iloc[0].to_dict()


def clock_events(scope: Scope, kind: str, item: str) -> pd.DataFrame:
    return run("clock_events", {"scope": list(scope.units), "kind": kind, "item": item})


def item_changes(scope: Scope, kind: str, item: str) -> pd.DataFrame:
    return run("item_changes", {"scope": list(scope.units), "kind": kind, "item": item})


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
    return run("lights_as_of", {}).iloc[0].to_dict()
