"""The dashboard's marts: every page query gives what a plain reading of the item lights gives — computed here in
Python from the snapshot's rows, not by the dashboard's SQL — for any scope; they are rebuilt idempotently; and a
snapshot without them is refused, not counted from the item tables."""
from __future__ import annotations

import math
import threading
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest

from dashboard import db, queries
from dashboard.queries import Scope, Worklist
from pipelines import marts, warehouse
from tests.fixtures import warehouse as seeded

SCOPES = {
    "city": Scope(("C",)),
    "bureau": Scope(("B03",)),
    "two-bureaus": Scope(("B01", "B03")),
    "nested": Scope(("C", "B03")),
    "division": Scope(("D0301",)),
    "staff": Scope(("B03",), person="P07"),
    "tampered": Scope(("B03", "' or 1=1 --", "/C/", "%")),
    "empty": Scope(()),
}
# (unit, kind) narrowings: none, a bureau, a division and a kind, the root above a scope, units outside or unknown
NARROWED = ((None, None), ("B03", None), ("D0301", "request"), (None, "milestone"), ("C", "document_step"),
            ("B01", "request"), ("B04", None), ("NOPE", None), ("%", None))
# The lists and item lookups are checked for fewer scopes: their scope filter is the same in every file.
FEW = ("city", "two-bureaus", "staff", "tampered", "empty")
SHARES = {"red_share": 0.1, "yellow_share": 0.2}
STATUSES = ("red", "yellow", "green", "unknown", "exempted")
CLOSED_DAYS = 30
WORKLISTS = {
    "red": Worklist(statuses=("red",)),
    "everything-by-unit": Worklist(sort="unit"),
    "open-yellow-red-by-due": Worklist(statuses=("red", "yellow"), open_only=True, sort="due"),
    "search-title": Worklist(q="噪音", sort="status"),
    "search-name": Worklist(q="张伟"),
    "search-id-small-letters": Worklist(q="rq-00"),
    "search-quote": Worklist(q="' or '1'='1"),
    "unit-kind-category": Worklist(unit="B01", kind="request", category="complaint"),
    "overdue-3": Worklist(min_overdue=3.0),
    "due-range": Worklist(due_from=seeded.TODAY - timedelta(days=3), due_to=seeded.TODAY + timedelta(days=3)),
    "person": Worklist(person="P01", sort="status"),
    "outside-unit": Worklist(unit="B05"),
    "past-day-red": Worklist(statuses=("red",), day=seeded.history_day(5)),
    "past-day-every-status-by-unit": Worklist(day=seeded.history_day(1), sort="unit"),
    "past-day-search": Worklist(day=seeded.history_day(3), q="赵敏", sort="due"),
}


def plain(value: Any) -> Any:
    """A value as the reference computes it: Python scalars, None for missing, datetimes for timestamps."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.generic):
        return plain(value.item())
    return value


def records(frame: pd.DataFrame, columns: list[str] | None = None) -> list[dict]:
    columns = columns or list(frame.columns)
    return [{c: plain(row[c]) for c in columns} for row in frame.to_dict("records")]


def light_of(red: int, yellow: int, green: int, unknown: int) -> str:
    """A unit's or person's light from its counted items (docs/dashboard.md, "Unit and person lights")."""
    total = red + yellow + green + unknown
    if total == 0:
        return "unknown"
    if red >= SHARES["red_share"] * total:
        return "red"
    if red > 0 or yellow >= SHARES["yellow_share"] * total:
        return "yellow"
    if unknown * 2 >= total:
        return "unknown"
    return "green"


class Expected:
    """What each page query must answer, read from the published snapshot's own rows and counted in Python."""

    def __init__(self, snapshot: str):
        with duckdb.connect(snapshot, read_only=True) as con:
            con.execute("set TimeZone = 'Asia/Shanghai'")

            def rows(sql: str) -> list[dict]:
                cursor = con.execute(sql)
                names = [d[0] for d in cursor.description]
                return [dict(zip(names, r)) for r in cursor.fetchall()]

            self.units = {u["unit_code"]: u for u in rows("select * from dim_unit")}
            self.persons = {p["person_id"]: p for p in rows("select * from dim_person")}
            self.items = rows("select * from item_light")
            self.history = rows("select * from item_light_history")
            self.steps = rows("select * from fct_document_step")
            self.documents = rows("select * from fct_document")
            self.milestones = rows("select * from fct_milestone")
            self.suspensions = rows("select * from fct_suspension")
            self.extensions = rows("select * from fct_extension")
            self.changes = rows("select kind, item_id, changed_at, run_id, before::varchar as before, "
                                "after::varchar as after from fct_change_history")
        # the local day of the lights; "newly" red compares with the latest history day before it
        self.today = max(i["as_of"] for i in self.items).date()
        self.by_key = {(i["kind"], i["item_id"]): i for i in self.items}

    # -- scope

    def in_view(self, scope: Scope, unit: str | None = None) -> set[str]:
        roots = [self.units[c]["path"] for c in scope.units if c in self.units]
        if unit is not None and unit not in self.units:
            return set()
        focus = self.units[unit]["path"] if unit is not None else ""
        return {code for code, u in self.units.items()
                if any(u["path"].startswith(r) for r in roots) and u["path"].startswith(focus)}

    def visible(self, scope: Scope, unit: str | None = None, kind: str | None = None) -> list[dict]:
        view = self.in_view(scope, unit)
        return [i for i in self.items if i["unit_code"] in view
                and (scope.person is None or i["person_id"] == scope.person)
                and (kind is None or i["kind"] == kind)]

    @staticmethod
    def counted(item: dict) -> bool:
        """Open, or closed in the 30 days before the lights' as-of time."""
        return item["is_open"] or (item["done_at"] is not None
                                   and item["done_at"] >= item["as_of"] - timedelta(days=CLOSED_DAYS))

    @staticmethod
    def counts(items: list[dict]) -> dict[str, int]:
        return {s: sum(1 for i in items if i["status"] == s) for s in STATUSES}

    # -- counts

    def status_totals(self, scope: Scope, unit: str | None, kind: str | None) -> dict[str, int]:
        counts = self.counts([i for i in self.visible(scope, unit, kind) if self.counted(i)])
        return {**counts, "total": sum(counts.values())}

    def unit_tree(self, scope: Scope, unit: str | None, kind: str | None) -> list[dict]:
        items = [i for i in self.visible(scope, unit, kind) if self.counted(i)]
        out = []
        for code in sorted(self.in_view(scope, unit), key=lambda c: self.units[c]["path"]):
            u = self.units[code]
            mine = [i for i in items if self.units[i["unit_code"]]["path"].startswith(u["path"])]
            c = self.counts(mine)
            due = [i for i in mine if i["status"] != "exempted" and i["due_at"] is not None
                   and (not i["is_open"] or i["due_at"] < i["as_of"])]
            on_time = [i for i in due if not i["is_open"] and i["done_at"] <= i["due_at"]]
            out.append({
                "unit_code": code, "name": u["name"], "name_en": u["name_en"], "parent_code": u["parent_code"],
                "level": u["level"], "path": u["path"], **c,
                "overdue_open": sum(1 for i in mine if i["status"] == "red" and i["is_open"]),
                "due_count": len(due), "on_time_count": len(on_time),
                "total": c["red"] + c["yellow"] + c["green"] + c["unknown"],
                "light": light_of(c["red"], c["yellow"], c["green"], c["unknown"]),
                "on_time_rate": len(on_time) / len(due) if due else None,
            })
        return out

    def person_rollup(self, scope: Scope, unit: str | None, kind: str | None, limit: int) -> list[dict]:
        items = [i for i in self.visible(scope, unit, kind) if self.counted(i) and i["person_id"] is not None]
        out = []
        for person_id in sorted({i["person_id"] for i in items}):
            mine = [i for i in items if i["person_id"] == person_id]
            c = self.counts(mine)
            person = self.persons.get(person_id, {})
            home = self.units.get(person.get("unit_code"), {})
            overdue = [-i["wd_remaining"] for i in mine if i["status"] == "red" and i["is_open"]
                       and i["wd_remaining"] is not None]
            out.append({
                "person_id": person_id, "person_name": person.get("name", person_id),
                "unit_code": person.get("unit_code"), "unit_name": home.get("name"),
                "unit_name_en": home.get("name_en"), "job_category": person.get("job_category"), **c,
                "max_overdue_days": max(overdue, default=0),
                "total": c["red"] + c["yellow"] + c["green"] + c["unknown"],
                "light": light_of(c["red"], c["yellow"], c["green"], c["unknown"]),
            })
        rank = {"red": 0, "yellow": 1, "unknown": 2}
        out.sort(key=lambda p: (rank.get(p["light"], 3), -p["red"], -p["yellow"], p["person_id"]))
        return out[:limit]

    def previous_day(self) -> date | None:
        return max((h["snapshot_day"] for h in self.history if h["snapshot_day"] < self.today), default=None)

    def red_on(self, day: date | None) -> set[tuple[str, str]]:
        return {(h["kind"], h["item_id"]) for h in self.history if h["snapshot_day"] == day and h["status"] == "red"}

    def newly_red(self, scope: Scope, unit: str | None, kind: str | None, limit: int) -> list[dict]:
        before = self.previous_day()
        if before is None:
            return []
        red_before = self.red_on(before)
        newly = [i for i in self.visible(scope, unit, kind)
                 if i["status"] == "red" and self.counted(i) and (i["kind"], i["item_id"]) not in red_before]
        newly.sort(key=lambda i: (i["wd_remaining"] is None, i["wd_remaining"] or 0, i["kind"], i["item_id"]))
        return [{"kind": i["kind"], "item_id": i["item_id"], "title": i["title"], "category": i["category"],
                 "unit_code": i["unit_code"], "unit_name": self.units[i["unit_code"]]["name"],
                 "unit_name_en": self.units[i["unit_code"]]["name_en"], "reason_zh": i["reason_zh"],
                 "reason_en": i["reason_en"], "person_id": i["person_id"],
                 "person_name": self.persons.get(i["person_id"], {}).get("name"),
                 "wd_remaining": i["wd_remaining"], "due_at": i["due_at"], "total": len(newly)}
                for i in newly[:limit]]

    def filter_options(self, scope: Scope) -> list[dict]:
        items = self.visible(scope)
        if scope.person is not None:
            items = [i for i in items if self.counted(i)]  # staff choose among the items their worklist lists
        found: dict[tuple, int] = {}
        for i in items:
            found[(i["kind"], i["category"])] = found.get((i["kind"], i["category"]), 0) + 1
        ordered = sorted(found.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1] is None, kv[0][1] or ""))
        return [{"kind": k, "category": c, "items": n} for (k, c), n in ordered]

    def trend(self, scope: Scope, since: date, unit: str | None, kind: str | None,
              person: str | None) -> list[dict]:
        view = self.in_view(scope, unit)
        whose = person or scope.person
        if scope.person is not None and whose != scope.person:
            return []
        days: dict[date, dict[str, int]] = {}
        for h in self.history:
            if (h["snapshot_day"] >= since and h["unit_code"] in view and (kind is None or h["kind"] == kind)
                    and (whose is None or h["person_id"] == whose)):
                days.setdefault(h["snapshot_day"], dict.fromkeys(STATUSES, 0))[h["status"]] += 1
        return [{"day": d, **c} for d, c in sorted(days.items())]

    # -- the worklist

    def worklist(self, scope: Scope, f: Worklist) -> list[dict]:
        """Every matching row in list order, each as the list shows it."""
        view = self.in_view(scope, f.unit)
        if f.day is None:
            candidates = [dict(i) for i in self.items if self.counted(i)]
        else:
            candidates = [{**self.by_key[(h["kind"], h["item_id"])], "status": h["status"]}
                          for h in self.history
                          if h["snapshot_day"] == f.day and (h["kind"], h["item_id"]) in self.by_key]
        rows = []
        for i in candidates:
            name = self.persons.get(i["person_id"], {}).get("name")
            q = f.q
            if not (i["unit_code"] in view
                    and (not f.statuses or i["status"] in f.statuses)
                    and (scope.person is None or i["person_id"] == scope.person)
                    and (f.person is None or i["person_id"] == f.person)
                    and (f.kind is None or i["kind"] == f.kind)
                    and (f.category is None or i["category"] == f.category)
                    and (not f.open_only or i["is_open"])
                    and (f.min_overdue is None or (i["wd_remaining"] is not None
                                                   and -i["wd_remaining"] >= f.min_overdue))
                    and (f.due_from is None or (i["due_at"] is not None and i["due_at"].date() >= f.due_from))
                    and (f.due_to is None or (i["due_at"] is not None and i["due_at"].date() <= f.due_to))
                    and (q is None or q in (i["title"] or "") or q in (name or "")
                         or any(v in i["item_id"] for v in (q, q.upper(), q.lower())))):
                continue
            unit = self.units[i["unit_code"]]
            rows.append({
                "kind": i["kind"], "item_id": i["item_id"], "title": i["title"], "category": i["category"],
                "status": i["status"], "unit_code": i["unit_code"], "unit_name": unit["name"],
                "unit_name_en": unit["name_en"], "unit_path": unit["path"], "person_id": i["person_id"],
                "person_name": name, "due_at": i["due_at"], "done_at": i["done_at"], "is_open": i["is_open"],
                "wd_remaining": i["wd_remaining"],
                "overdue_days": max(-(i["wd_remaining"] or 0), 0), "reason_zh": i["reason_zh"],
                "reason_en": i["reason_en"],
            })
        return sorted(rows, key=lambda r: self.sort_key(r, f.sort))

    @staticmethod
    def sort_key(row: dict, sort: str) -> tuple:
        rank = {"red": 0, "yellow": 1, "unknown": 2, "exempted": 3}
        due = row["due_at"]
        remaining = row["wd_remaining"]
        return (
            (remaining or 0,) if sort == "overdue" else (0,),  # most overdue (least working days left) first
            (due is None, due.timestamp() if due else 0) if sort == "due" else (0,),
            (row["unit_path"],) if sort == "unit" else (0,),
            (rank.get(row["status"], 4),) if sort == "status" else (0,),
            (remaining is None, remaining or 0), row["kind"], row["item_id"],
        )

    # -- the item page

    def document_steps(self, scope: Scope, item: str) -> list[tuple]:
        doc = next((d for d in self.documents if d["doc_id"] == item.split("#")[0]), None)
        if doc is None or doc["unit_code"] not in self.in_view(scope):
            return []
        steps = sorted((s for s in self.steps if s["doc_id"] == doc["doc_id"]), key=lambda s: s["step_no"])
        lights = {i["item_id"]: i["status"] for i in self.items if i["kind"] == "document_step"}
        return [(s["step_no"], s["step_name"], lights.get(f'{s["doc_id"]}#{s["step_no"]}')) for s in steps]

    def milestone_nodes(self, scope: Scope, item: str) -> list[tuple]:
        view = self.in_view(scope)
        this = next((m for m in self.milestones if m["milestone_id"] == item and m["unit_code"] in view), None)
        if this is None:
            return []
        task = this["task_id"] or this["milestone_id"]
        nodes = [m for m in self.milestones if (m["task_id"] or m["milestone_id"]) == task and m["unit_code"] in view]
        lights = {i["item_id"]: i["status"] for i in self.items if i["kind"] == "milestone"}
        return [(m["milestone_id"], lights.get(m["milestone_id"]), m["milestone_id"] == item)
                for m in sorted(nodes, key=lambda m: (m["planned_date"], m["milestone_id"]))]

    def clock_events(self, scope: Scope, kind: str, item: str) -> list[tuple]:
        light = self.by_key.get((kind, item))
        if light is None or light["unit_code"] not in self.in_view(scope):
            return []
        events = [("suspension", s["started_at"], s["reason"]) for s in self.suspensions
                  if (s["kind"], s["item_id"]) == (kind, item)]
        events += [("extension", e["approved_at"], e["reason"]) for e in self.extensions
                   if (e["kind"], e["item_id"]) == (kind, item)]
        return sorted(events, key=lambda e: e[1])

    def item_changes(self, scope: Scope, kind: str, item: str) -> list[tuple]:
        light = self.by_key.get((kind, item))
        if light is None or light["unit_code"] not in self.in_view(scope):
            return []
        found = [(c["changed_at"], c["before"], c["after"]) for c in self.changes
                 if (c["kind"], c["item_id"]) == (kind, item)]
        return sorted(found, key=lambda c: c[0], reverse=True)[:50]


@pytest.fixture(scope="module")
def snapshot(seeded_warehouse):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XIAONENG_DB", str(seeded_warehouse))
        queries.set_caching(False)
        try:
            yield str(queries.db.current_snapshot())
        finally:
            queries.set_caching(True)


@pytest.fixture(scope="module")
def expected(snapshot) -> Expected:
    return Expected(snapshot)


def test_the_fixture_snapshot_is_read_from_its_marts(snapshot):
    queries.require_marts()


@pytest.mark.parametrize("scope", list(SCOPES), ids=list(SCOPES))
def test_status_totals_count_the_counted_items(snapshot, expected, scope):
    for unit, kind in NARROWED:
        assert queries.status_totals(SCOPES[scope], unit, kind) == expected.status_totals(SCOPES[scope], unit, kind)
    assert queries.status_totals(SCOPES[scope])["total"] > 0 or scope == "empty"


@pytest.mark.parametrize("scope", list(SCOPES), ids=list(SCOPES))
def test_the_unit_tree_sums_each_subtree(snapshot, expected, scope):
    rows = 0
    for unit, kind in NARROWED:
        want = expected.unit_tree(SCOPES[scope], unit, kind)
        got = queries.unit_tree(SCOPES[scope], unit=unit, kind=kind)
        assert list(got.columns) == list(want[0]) if want else got.empty
        assert records(got) == want
        rows += len(want)
    assert rows > 0 or scope == "empty"


@pytest.mark.parametrize("scope", list(SCOPES), ids=list(SCOPES))
def test_the_person_rollup_counts_each_persons_items(snapshot, expected, scope):
    rows = 0
    for unit, kind in NARROWED:
        for limit in (500, 2):
            want = expected.person_rollup(SCOPES[scope], unit, kind, limit)
            got = queries.person_rollup(SCOPES[scope], unit=unit, kind=kind, limit=limit)
            assert records(got, list(want[0]) if want else None) == want
            rows += len(want)
    assert rows > 0 or scope == "empty"


@pytest.mark.parametrize("scope", list(SCOPES), ids=list(SCOPES))
def test_newly_red_are_the_counted_red_items_not_red_the_day_before(snapshot, expected, scope):
    for unit, kind in NARROWED:
        for limit in (50, 1):
            want = expected.newly_red(SCOPES[scope], unit, kind, limit)
            got = queries.newly_red(SCOPES[scope], unit=unit, kind=kind, limit=limit)
            assert records(got, list(want[0]) if want else None) == want


def test_the_fixtures_newly_red_items(snapshot):
    assert set(queries.newly_red(Scope(("C",)))["item_id"]) == {"RQ-0009", "DOC-0008"}


@pytest.mark.parametrize("scope", FEW)
@pytest.mark.parametrize("filters", list(WORKLISTS), ids=list(WORKLISTS))
def test_the_worklist_lists_and_counts_the_matching_items(snapshot, expected, filters, scope):
    want = expected.worklist(SCOPES[scope], WORKLISTS[filters])
    counts = {"total": len(want), "red": sum(1 for r in want if r["status"] == "red"),
              "yellow": sum(1 for r in want if r["status"] == "yellow")}
    assert queries.worklist_count(SCOPES[scope], WORKLISTS[filters]) == counts
    everything = queries.worklist(SCOPES[scope], WORKLISTS[filters], limit=None)
    assert records(everything) == want
    page = queries.worklist_page(SCOPES[scope], WORKLISTS[filters], limit=3, offset=2)
    assert records(page.rows) == want[2:5]
    assert page.counts() == counts
    beyond = queries.worklist_page(SCOPES[scope], WORKLISTS[filters], limit=3, offset=len(want) + 3)
    assert beyond.rows.empty and beyond.counts() == counts


def test_the_worklists_compared_are_not_empty(snapshot):
    for name, filters in WORKLISTS.items():
        total = queries.worklist_count(Scope(("C",)), filters)["total"]
        assert total > 0 or name in ("search-quote", "outside-unit", "overdue-3"), name


@pytest.mark.parametrize("scope", list(SCOPES), ids=list(SCOPES))
def test_filter_choices_count_the_items_in_scope(snapshot, expected, scope):
    want = expected.filter_options(SCOPES[scope])
    assert records(queries.filter_options(SCOPES[scope])) == want
    assert want or scope == "empty"


def trend_records(frame: pd.DataFrame) -> list[dict]:
    return [{**r, "day": r["day"].date()} for r in records(frame)]


@pytest.mark.parametrize("scope", list(SCOPES), ids=list(SCOPES))
def test_trends_count_the_item_history(snapshot, expected, scope):
    rows = 0
    # without a kind, a subtree's trend comes from the lights' daily unit roll-ups, with one from the count marts
    for unit, kind in (*NARROWED, ("C", None), ("D0301", None)):
        since = seeded.history_day(29)
        want = expected.trend(SCOPES[scope], since, unit, kind, None)
        assert trend_records(queries.status_trend(SCOPES[scope], since, unit=unit, kind=kind)) == want
        rows += len(want)
    assert rows > 0 or scope == "empty"


def has_items(scope: Scope, person: str) -> bool:
    """Whether the fixture gives the person items in units the scope reaches."""
    paths = {unit[0]: unit[5] for unit in seeded.UNITS}
    roots = [paths[code] for code in scope.units if code in paths]
    return any(i.person == person and any(paths[i.unit].startswith(r) for r in roots) for i in seeded.ITEMS)


PERSON_TRENDS = [(scope, person) for scope in SCOPES for person in (None, "P07", "P01", "NOPE")
                 if person is not None or SCOPES[scope].person is not None]


@pytest.mark.parametrize("scope, person", PERSON_TRENDS, ids=[f"{s}-{p}" for s, p in PERSON_TRENDS])
def test_a_persons_trend_counts_their_item_history(snapshot, expected, scope, person):
    rows = 0
    for unit in (None, "B03", "D0301", "B01"):
        for kind in (None, "request"):
            since = seeded.history_day(29)
            want = expected.trend(SCOPES[scope], since, unit, kind, person)
            got = queries.status_trend(SCOPES[scope], since, unit=unit, kind=kind, person=person)
            assert trend_records(got) == want
            rows += len(want)
    whose = person or SCOPES[scope].person
    assert (rows > 0) == (has_items(SCOPES[scope], whose) and SCOPES[scope].person in (None, whose))


ITEMS = [("request", "RQ-0001"), ("document_step", "DOC-0001#4"), ("document", "DOC-0001"),
         ("milestone", "MS-0001-1"), ("milestone", "MS-0003-1"), ("request", "NOPE")]


@pytest.mark.parametrize("scope", FEW)
@pytest.mark.parametrize("item", ITEMS, ids=[i for _, i in ITEMS])
def test_item_page_lookups_find_the_items_facts_in_scope(snapshot, expected, scope, item):
    kind, item_id = item
    s = SCOPES[scope]
    steps = queries.document_steps(s, item_id)
    assert list(zip(steps["step_no"], steps["step_name"], steps["status"].astype(object).where(
        steps["status"].notna(), None))) == expected.document_steps(s, item_id)
    nodes = queries.milestone_nodes(s, item_id)
    assert list(zip(nodes["milestone_id"], nodes["status"].astype(object).where(nodes["status"].notna(), None),
                    nodes["is_this"])) == expected.milestone_nodes(s, item_id)
    events = queries.clock_events(s, kind, item_id)
    assert [(e, plain(at), r) for e, at, r in zip(events["event"], events["event_at"], events["reason"])] \
        == expected.clock_events(s, kind, item_id)
    changes = queries.item_changes(s, kind, item_id)
    assert [(plain(c), b, a) for c, b, a in zip(changes["changed_at"], changes["before"], changes["after"])] \
        == expected.item_changes(s, kind, item_id)


def test_the_item_lookups_compared_are_not_empty(snapshot):
    city = Scope(("C",))
    assert not queries.clock_events(city, "request", "RQ-0001").empty
    assert not queries.item_changes(city, "request", "RQ-0001").empty
    assert len(queries.document_steps(city, "DOC-0001#4")) == 4
    assert len(queries.milestone_nodes(city, "MS-0003-1")) == 2


def test_lights_as_of_from_the_marts(snapshot, expected):
    assert queries.lights_as_of() == {"as_of": pd.Timestamp(max(i["as_of"] for i in expected.items)),
                                      "items": len(expected.items),
                                      "stale_items": sum(1 for i in expected.items if i["stale"])}


def test_every_mart_check_finds_nothing(snapshot):
    with duckdb.connect(snapshot, read_only=True) as con:
        assert marts.check(con) == {}


# -- newly red against the red count beside it


@pytest.fixture(scope="module")
def long_closed_red(tmp_path_factory):
    """The seeded warehouse and three red items closed before the counting window (in no day's history): the items
    whose lights a wall counted as "newly red" every day though no red count counted them."""
    path = tmp_path_factory.mktemp("long_closed_red") / "xiaoneng.duckdb"
    seeded.build(path)
    columns = [c.strip() for c in seeded.LIGHT_COLUMNS.split(",")]
    extra = (
        seeded.Item("document", "DOC-0101", "关于2025年防汛工作的通知", "incoming", "B05", "P11", "red", -4,
                    closed_days_ago=60),
        seeded.Item("request", "RQ-0101", "噪音扰民投诉", "complaint", "D0302", "P09", "red", -2, closed_days_ago=45),
        seeded.Item("request", "RQ-0102", "占道经营投诉", "complaint", "D0302", "P09", "red", -1, closed_days_ago=31),
    )
    with warehouse.writer(path) as con:
        con.executemany(f"insert into item_light ({', '.join(columns)}) values ({', '.join('?' * len(columns))})",
                        [seeded._light_row(item, seeded.NOW, 6) for item in extra])
        marts.refresh(con, seeded.NOW)
        warehouse.publish(con, path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XIAONENG_DB", str(path))
        queries.set_caching(False)
        try:
            yield str(db.current_snapshot())
        finally:
            queries.set_caching(True)


@pytest.mark.parametrize("scope", list(SCOPES), ids=list(SCOPES))
def test_newly_red_never_exceeds_the_red_count_of_the_same_scope(long_closed_red, scope):
    narrowed = (*NARROWED, ("B05", None), ("D0302", "request"), (None, "document"))
    for unit, kind in narrowed:
        newly = queries.newly_red(SCOPES[scope], unit=unit, kind=kind, limit=500)
        total = int(newly["total"].iloc[0]) if len(newly) else 0
        red = queries.status_totals(SCOPES[scope], unit=unit, kind=kind)["red"]
        assert total <= red, (unit, kind)
        listed = queries.worklist(SCOPES[scope], Worklist(unit=unit, kind=kind, statuses=("red",)), limit=None)
        assert set(newly["item_id"]) <= set(listed["item_id"]), (unit, kind)


def test_items_closed_before_the_counting_window_are_never_newly_red(long_closed_red):
    newly = set(queries.newly_red(Scope(("C",)), limit=500)["item_id"])
    assert newly == {"RQ-0009", "DOC-0008"}
    assert queries.newly_red(Scope(("B05",))).empty and queries.status_totals(Scope(("B05",)))["red"] == 0


def test_the_mart_checks_find_no_newly_red_item_outside_the_red_count(long_closed_red):
    with duckdb.connect(long_closed_red, read_only=True) as con:
        assert marts.check(con) == {}


def test_an_item_red_the_day_before_is_not_newly_red(long_closed_red):
    found = Expected(long_closed_red)
    red_before = found.red_on(found.previous_day())
    assert red_before  # RQ-0008, RQ-0005 and others were red yesterday and still are
    newly = queries.newly_red(Scope(("C",)), limit=500)
    assert not {(k, i) for k, i in zip(newly["kind"], newly["item_id"])} & red_before


# -- the refresh


def test_a_second_refresh_writes_the_same_marts_and_recounts_only_the_as_of_day(tmp_path):
    path = tmp_path / "xiaoneng.duckdb"
    seeded.build(path)
    tables = sorted(queries.MART_TABLES | {"mart_history_day"})
    with warehouse.writer(path) as con:
        before = {t: con.execute(f"select * from {t} order by all").fetchall() for t in tables}
        result = marts.refresh(con, seeded.NOW)
        after = {t: con.execute(f"select * from {t} order by all").fetchall() for t in tables}
    assert after == before
    assert result["days_recounted"] == 1
    assert result["active_items"] == sum(seeded.subtree_counts("C").values())


def test_a_later_refresh_the_same_day_rewrites_only_changed_rows_to_the_same_marts(tmp_path):
    path = tmp_path / "xiaoneng.duckdb"
    seeded.build(path)
    tables = ("mart_active_item", "mart_item_key")
    with warehouse.writer(path) as con:
        # A later lights run: one light turns red, one item leaves the count, a person is renamed.
        later_as_of = seeded.NOW + timedelta(hours=1)
        con.execute("update item_light set as_of = ?", [later_as_of])
        con.execute("update item_light set status = 'red', wd_remaining = -1 where item_id = 'RQ-0001'")
        con.execute("update item_light set done_at = as_of - interval 40 day where item_id = 'RQ-0002'")
        con.execute("update dim_person set name = '周杰伦' where person_id = 'P09'")
        later = marts.refresh(con, later_as_of)
        assert marts.check(con) == {}
        changed = {t: sorted(con.execute(f"select * exclude (row_hash) from {t}").fetchall()) for t in tables}
        con.execute("delete from mart_refresh")  # the next refresh writes everything again
        assert marts.refresh(con, later_as_of)["whole"]
        whole = {t: sorted(con.execute(f"select * exclude (row_hash) from {t}").fetchall()) for t in tables}
    # RQ-0001, and the four active items of the renamed person
    assert not later["whole"] and later["appended_rows"] == 5
    assert changed == whole
    assert "RQ-0002" not in {row[1] for row in changed["mart_active_item"]}


def test_a_changed_history_day_is_recounted(tmp_path):
    path = tmp_path / "xiaoneng.duckdb"
    seeded.build(path)
    day = seeded.history_day(5)
    with warehouse.writer(path) as con:
        # A later lights run rewrote a past day (a replay): one item more is red that day.
        con.execute("update item_light_history set status = 'red', as_of = as_of + interval 1 minute "
                    "where snapshot_day = ? and item_id = 'DOC-0002'", [day])
        result = marts.refresh(con, seeded.NOW)
        assert result["days_recounted"] == 2  # that day and the as-of day
        assert marts.check(con) == {}
        red = con.execute("select sum(red) from mart_daily_counts where snapshot_day = ?", [day]).fetchone()[0]
        direct = con.execute("select count(*) from item_light_history where snapshot_day = ? and status = 'red'",
                             [day]).fetchone()[0]
    assert red == direct


def test_refresh_needs_an_aware_time(tmp_path):
    with warehouse.writer(tmp_path / "w.duckdb") as con, pytest.raises(ValueError):
        marts.refresh(con, seeded.NOW.replace(tzinfo=None))


# -- snapshots the pages cannot read


@pytest.fixture
def without_marts(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "xiaoneng.duckdb"
    seeded.build(path, marts_refreshed=False)
    monkeypatch.setenv("XIAONENG_DB", str(path))
    queries.set_caching(False)
    yield path
    queries.set_caching(True)


PAGE_QUERIES = {
    "status_totals": lambda s: queries.status_totals(s),
    "unit_tree": lambda s: queries.unit_tree(s),
    "person_rollup": lambda s: queries.person_rollup(s),
    "newly_red": lambda s: queries.newly_red(s),
    "trend": lambda s: queries.status_trend(s, since=seeded.history_day(29)),
    "worklist": lambda s: queries.worklist_page(s, Worklist(), limit=10),
    "filter_options": lambda s: queries.filter_options(s),
    "document_steps": lambda s: queries.document_steps(s, "DOC-0001#4"),
    "lights_as_of": lambda s: queries.lights_as_of(),
}


@pytest.mark.parametrize("name", list(PAGE_QUERIES))
def test_a_snapshot_published_without_marts_is_not_prepared(without_marts, name):
    with pytest.raises(db.NotPrepared):
        queries.require_marts()
    with pytest.raises(db.NotPrepared):
        PAGE_QUERIES[name](Scope(("C",)))


def test_marts_older_than_the_lights_are_not_read(without_marts):
    with warehouse.writer(without_marts) as con:
        marts.refresh(con, seeded.NOW)
        warehouse.publish(con, without_marts)
    queries.require_marts()
    assert queries.status_totals(Scope(("B03",)))["red"] == seeded.subtree_counts("B03")["red"]
    with warehouse.writer(without_marts) as con:
        # A lights run after the refresh, published without refreshing the marts again.
        con.execute("update item_light set as_of = as_of + interval 15 minute")
        warehouse.publish(con, without_marts)
    with pytest.raises(db.NotPrepared):
        queries.status_totals(Scope(("B03",)))


def test_many_sessions_asking_for_the_same_uncached_board_read_it_once(snapshot, monkeypatch):
    """Streamlit's per-key compute lock: the first caller reads, the others wait for its result."""
    calls = []
    started = threading.Event()
    release = threading.Event()
    real = queries._execute

    def slow_execute(snap, name, params):
        calls.append(name)
        started.set()
        release.wait(10)
        return real(snap, name, params)

    monkeypatch.setattr(queries, "_execute", slow_execute)
    queries._cached.clear()
    key = (("kind", "milestone"), ("own_person", None), ("scope", ("C",)), ("unit", None))
    together = threading.Barrier(12)
    results = []

    def session() -> None:
        together.wait(10)
        results.append(queries._cached(snapshot, "mart_status_totals", key))

    threads = [threading.Thread(target=session) for _ in range(12)]
    for thread in threads:
        thread.start()
    assert started.wait(10)
    release.set()
    for thread in threads:
        thread.join(10)
    assert calls == ["mart_status_totals"]
    assert len(results) == 12 and all(r.equals(results[0]) for r in results)
