"""The dashboard's marts: they answer every page query exactly as the item tables do, for any scope, and are
rebuilt idempotently; a snapshot without them, or with marts older than its lights, is read from the items."""
from __future__ import annotations

import threading
from datetime import timedelta

import duckdb
import pandas as pd
import pytest

from dashboard import queries
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
}


@pytest.fixture(scope="module")
def snapshot(seeded_warehouse):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XIAONENG_DB", str(seeded_warehouse))
        queries.set_caching(False)
        try:
            yield str(queries.db.current_snapshot())
        finally:
            queries.set_caching(True)


def both(snapshot: str, name: str, params: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of mart_<name>.sql and of <name>.sql (the item tables) for the same parameters."""
    return queries.run(f"mart_{name}", params, snapshot), queries.run(name, params, snapshot)


def same(mart: pd.DataFrame, items: pd.DataFrame) -> int:
    """Assert the same columns and rows (values, not dtypes); returns how many rows."""
    assert list(mart.columns) == list(items.columns)
    left = mart.astype(object).where(mart.notna(), None).to_dict("records")
    right = items.astype(object).where(items.notna(), None).to_dict("records")
    assert left == right
    return len(left)


def test_the_fixture_snapshot_is_read_from_its_marts(snapshot):
    assert queries.marts_ready()


@pytest.mark.parametrize("scope", list(SCOPES), ids=list(SCOPES))
@pytest.mark.parametrize("name", ["status_totals", "unit_tree", "person_rollup", "newly_red"])
def test_counts_from_the_marts_equal_counts_from_the_items(snapshot, name, scope):
    rows = 0
    for unit, kind in NARROWED:
        params = {**SCOPES[scope].params(), **SHARES, "unit": unit, "kind": kind, "limit": 50}
        mart, items = both(snapshot, name, params)
        rows += same(mart, items) if name != "status_totals" else int(mart["total"].sum())
    assert rows > 0 or scope == "empty"


@pytest.mark.parametrize("scope", FEW)
@pytest.mark.parametrize("filters", list(WORKLISTS), ids=list(WORKLISTS))
def test_the_worklist_from_the_marts_equals_the_worklist_from_the_items(snapshot, filters, scope):
    params = {**SCOPES[scope].params(), **WORKLISTS[filters].params()}
    same(*both(snapshot, "worklist_count", params))
    for limit, offset in ((None, 0), (3, 2)):
        same(*both(snapshot, "worklist", {**params, "sort": WORKLISTS[filters].sort, "limit": limit,
                                          "offset": offset}))


def test_the_worklists_compared_are_not_empty(snapshot):
    city = Scope(("C",)).params()
    for name, filters in WORKLISTS.items():
        total = int(queries.run("mart_worklist_count", {**city, **filters.params()}, snapshot)["total"].iloc[0])
        assert total > 0 or name in ("search-quote", "outside-unit", "overdue-3"), name


@pytest.mark.parametrize("scope", list(SCOPES), ids=list(SCOPES))
def test_filter_choices_and_trends_from_the_marts_equal_those_from_the_items(snapshot, scope):
    params = SCOPES[scope].params()
    since = seeded.history_day(29)
    if SCOPES[scope].person is not None:
        # The unit marts count everyone's items: staff get theirs from the items (and from their own trend).
        assert queries.run("mart_filter_options", params, snapshot).empty
        assert queries.run("mart_trend", {**params, "since": since, "unit": None, "kind": None}, snapshot).empty
        assert not queries.filter_options(SCOPES[scope]).empty
        assert queries.status_trend(SCOPES[scope], since)["red"].sum() > 0
        return
    rows = same(*both(snapshot, "filter_options", params))
    for unit, kind in NARROWED:
        trend = {**params, "since": since, "unit": unit, "kind": kind, "person": None}
        rows += same(queries.run("mart_trend", trend, snapshot), queries.run("status_trend", trend, snapshot))
    assert rows > 0 or scope == "empty"


def has_items(scope: Scope, person: str) -> bool:
    """Whether the fixture gives the person items in units the scope reaches."""
    paths = {unit[0]: unit[5] for unit in seeded.UNITS}
    roots = [paths[code] for code in scope.units if code in paths]
    return any(i.person == person and any(paths[i.unit].startswith(r) for r in roots) for i in seeded.ITEMS)


PERSON_TRENDS = [(scope, person) for scope in SCOPES for person in (None, "P07", "P01", "NOPE")
                 if person is not None or SCOPES[scope].person is not None]


@pytest.mark.parametrize("scope, person", PERSON_TRENDS, ids=[f"{s}-{p}" for s, p in PERSON_TRENDS])
def test_a_persons_trend_from_the_marts_equals_the_trend_from_the_items(snapshot, scope, person):
    params = SCOPES[scope].params()
    rows = 0
    for unit in (None, "B03", "D0301", "B01"):
        trend = {**params, "since": seeded.history_day(29), "unit": unit, "kind": None, "person": person}
        rows += same(queries.run("mart_person_trend", trend, snapshot), queries.run("status_trend", trend, snapshot))
    whose = person or SCOPES[scope].person
    assert (rows > 0) == (has_items(SCOPES[scope], whose) and SCOPES[scope].person in (None, whose))


@pytest.mark.parametrize("scope", FEW)
@pytest.mark.parametrize("item", [("request", "RQ-0001"), ("document_step", "DOC-0001#4"), ("document", "DOC-0001"),
                                  ("milestone", "MS-0001-1"), ("milestone", "MS-0003-1"), ("request", "NOPE")])
def test_item_page_lookups_by_key_equal_those_from_the_items(snapshot, scope, item):
    kind, item_id = item
    units = {"scope": list(SCOPES[scope].units), "kind": kind, "item": item_id}
    for name in ("clock_events", "item_changes", "document_steps", "milestone_nodes"):
        same(*both(snapshot, name, units))


def test_the_item_lookups_compared_are_not_empty(snapshot):
    city = {"scope": ["C"], "kind": "request", "item": "RQ-0001"}
    assert not queries.run("mart_clock_events", city, snapshot).empty
    assert not queries.run("mart_item_changes", city, snapshot).empty
    assert len(queries.run("mart_document_steps", {**city, "item": "DOC-0001#4"}, snapshot)) == 4
    assert len(queries.run("mart_milestone_nodes", {**city, "item": "MS-0003-1"}, snapshot)) == 2


def test_lights_as_of_from_the_marts(snapshot):
    same(*both(snapshot, "lights_as_of", {}))


def test_every_mart_check_finds_nothing(snapshot):
    with duckdb.connect(snapshot, read_only=True) as con:
        assert marts.check(con) == {}


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


@pytest.fixture
def without_marts(tmp_path, monkeypatch):
    path = tmp_path / "xiaoneng.duckdb"
    seeded.build(path, marts_refreshed=False)
    monkeypatch.setenv("XIAONENG_DB", str(path))
    queries.set_caching(False)
    yield path
    queries.set_caching(True)


def test_a_snapshot_published_without_marts_is_read_from_the_items(without_marts):
    assert not queries.marts_ready()
    city = Scope(("C",))
    assert queries.status_totals(city) == {**seeded.subtree_counts("C"), "total": 30}
    assert set(queries.worklist(city, Worklist(), limit=None)["item_id"]) >= {"RQ-0009", "DOC-0008"}


def test_marts_older_than_the_lights_are_not_read(without_marts):
    with warehouse.writer(without_marts) as con:
        marts.refresh(con, seeded.NOW)
        # A lights run after the refresh, published without refreshing the marts again.
        con.execute("update item_light set as_of = as_of + interval 15 minute")
        warehouse.publish(con, without_marts)
    assert not queries.marts_ready()
    assert queries.status_totals(Scope(("B03",)))["red"] == seeded.subtree_counts("B03")["red"]


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
