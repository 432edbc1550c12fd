"""Row-level access in the dashboard's queries: each role sees its subtree, URL-style filters only narrow, SQL metacharacters are data."""
from __future__ import annotations

from datetime import timedelta

import pytest

from dashboard import auth, db, queries
from dashboard.queries import Scope, Worklist
from tests.fixtures import warehouse as fixture

SUPERVISOR_B03 = auth.Viewer("sup", "督查员", "supervisor", ("B03",))
LEADER_CITY = auth.Viewer("lead", "市领导", "leader", ("C",))
STAFF_P07 = auth.Viewer("staff", "赵敏", "staff", ("B03",), person_id="P07")
STAFF_NO_PERSON = auth.Viewer("ghost", "无人", "staff", ("B03",))

HOSTILE = [
    "' or '1'='1",
    "B03' or 1=1 --",
    "B01'); drop table item_light; --",
    "%",
    "_",
    "\\",
    "B0%",
    "/C/",
    "\x00",
    "🚦" * 50,
    "x" * 5000,
]
HOSTILE_IDS = ["quote-or", "comment", "drop-table", "percent", "underscore", "backslash", "like-pattern", "path",
               "nul", "emoji", "oversized"]


@pytest.fixture(scope="module", autouse=True)
def published(seeded_warehouse):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XIAONENG_DB", str(seeded_warehouse))
        queries.set_caching(False)
        try:
            yield seeded_warehouse
        finally:
            queries.set_caching(True)


def items_in(subtree: str) -> set[str]:
    units = {code for code, _, _, _, _, path in fixture.UNITS if f"/{subtree}/" in path}
    return {i.item_id for i in fixture.ITEMS if i.unit in units}


def worklist_ids(viewer: auth.Viewer, **filters) -> set[str]:
    frame = queries.worklist(Scope.of(viewer), Worklist(**filters), limit=None)
    return set(frame["item_id"])


def test_scope_params_match_what_the_queries_take():
    for viewer in (SUPERVISOR_B03, LEADER_CITY, STAFF_P07, STAFF_NO_PERSON):
        params = auth.scope_params(viewer)
        assert set(params) == set(Scope.of(viewer).params())


def test_a_supervisor_sees_exactly_their_bureau():
    # Exactly what the city's leader sees of B03: the scope cuts the same list, it does not change it.
    mine = worklist_ids(SUPERVISOR_B03)
    assert mine and mine == worklist_ids(LEADER_CITY) & items_in("B03")
    tree = queries.unit_tree(Scope.of(SUPERVISOR_B03))
    assert set(tree["unit_code"]) == {"B03", "D0301", "D0302"}


def test_a_leader_of_the_city_sees_every_bureau():
    tree = queries.unit_tree(Scope.of(LEADER_CITY))
    assert {"B01", "B02", "B03", "B04", "B05"} <= set(tree["unit_code"])


def test_staff_see_only_their_own_items():
    mine = worklist_ids(STAFF_P07)
    assert mine and mine == worklist_ids(LEADER_CITY) & {i.item_id for i in fixture.ITEMS if i.person == "P07"}
    # A colleague's item in the same division, opened by its id in the URL: nothing.
    colleague = next(i for i in fixture.ITEMS if i.unit == "D0301" and i.person != "P07")
    assert queries.item_detail(Scope.of(STAFF_P07), colleague.kind, colleague.item_id) is None
    assert queries.person_detail(Scope.of(STAFF_P07), colleague.person) is None


def test_a_staff_account_without_a_person_sees_nothing():
    assert worklist_ids(STAFF_NO_PERSON) == set()
    assert sum(queries.status_totals(Scope.of(STAFF_NO_PERSON)).values()) == 0


@pytest.mark.parametrize("other", ["B01", "D0101", "B05", "NOPE"])
def test_naming_another_unit_in_the_url_shows_nothing_of_it(other):
    scope = Scope.of(SUPERVISOR_B03)
    assert queries.unit_tree(scope, unit=other).empty
    assert worklist_ids(SUPERVISOR_B03, unit=other) == set()
    assert sum(queries.status_totals(scope, unit=other).values()) == 0
    assert queries.newly_red(scope, unit=other).empty
    assert queries.person_rollup(scope, unit=other).empty


def test_naming_the_city_above_ones_bureau_shows_only_the_bureau():
    scope = Scope.of(SUPERVISOR_B03)
    assert set(queries.unit_tree(scope, unit="C")["unit_code"]) == {"B03", "D0301", "D0302"}
    assert queries.status_totals(scope, unit="C") == queries.status_totals(scope)
    assert worklist_ids(SUPERVISOR_B03, unit="C") == worklist_ids(SUPERVISOR_B03)


def test_opening_another_bureaus_item_or_person_by_id_shows_nothing():
    scope = Scope.of(SUPERVISOR_B03)
    outside = next(i for i in fixture.ITEMS if i.unit == "D0101")
    assert queries.item_detail(scope, outside.kind, outside.item_id) is None
    assert queries.item_history(scope, outside.kind, outside.item_id).empty
    assert queries.document_steps(scope, "DOC-0001").empty
    assert queries.clock_events(scope, "request", "RQ-0001").empty
    assert queries.item_changes(scope, outside.kind, outside.item_id).empty
    assert queries.request_lifecycle(scope, "RQ-0001") is None
    assert queries.person_detail(scope, "P01") is None


@pytest.mark.parametrize("text", HOSTILE, ids=HOSTILE_IDS)
def test_sql_metacharacters_in_filters_are_only_data(text):
    scope = Scope.of(SUPERVISOR_B03)
    everything = worklist_ids(SUPERVISOR_B03)
    assert worklist_ids(SUPERVISOR_B03, unit=text) == set()
    assert worklist_ids(SUPERVISOR_B03, kind=text) == set()
    assert worklist_ids(SUPERVISOR_B03, category=text) == set()
    assert worklist_ids(SUPERVISOR_B03, person=text) == set()
    assert worklist_ids(SUPERVISOR_B03, statuses=(text,)) == set()
    # A search box only narrows within the scope, whatever it contains.
    assert worklist_ids(SUPERVISOR_B03, q=text) <= everything
    assert queries.unit_tree(scope, unit=text).empty
    assert queries.item_detail(scope, "request", text) is None
    assert queries.item_detail(scope, text, "RQ-0008") is None
    assert queries.person_detail(scope, text) is None
    assert worklist_ids(SUPERVISOR_B03) == everything, "the warehouse is unchanged"


@pytest.mark.parametrize("text", HOSTILE, ids=HOSTILE_IDS)
def test_a_tampered_scope_entry_widens_nothing(text):
    tampered = auth.Viewer("sup", "督查员", "supervisor", ("B03", text))
    assert worklist_ids(tampered) == worklist_ids(SUPERVISOR_B03)
    alone = auth.Viewer("x", "x", "supervisor", (text,))
    assert worklist_ids(alone) == set()


def test_a_search_for_a_quote_finds_the_literal_text_only():
    # "'" appears in no title: a broken query would match everything or fail.
    assert worklist_ids(LEADER_CITY, q="'") == set()
    title = next(i.title for i in fixture.ITEMS if i.unit.startswith("D03"))
    assert worklist_ids(SUPERVISOR_B03, q=title[:6])


def test_the_trend_of_another_unit_is_empty_or_zero():
    frame = queries.status_trend(Scope.of(SUPERVISOR_B03), since=fixture.TODAY - timedelta(days=29), unit="B01")
    numeric = frame.select_dtypes("number")
    assert frame.empty or int(numeric.to_numpy().sum()) == 0


def test_every_scoped_query_reads_its_units_through_the_one_scope_macro():
    # The scope is the security boundary: which units it reaches is defined once (dashboard/sql/units_in_view.sql),
    # so no query may work it out on its own.
    scoped = [path for path in sorted(db.SQL_DIR.glob("*.sql")) if "$scope" in path.read_text(encoding="utf-8")]
    assert len(scoped) >= 18
    for path in scoped:
        text = path.read_text(encoding="utf-8")
        assert "units_in_view($scope, " in text or "item_in_view($scope, " in text, path.name
        assert "unnest(" not in text and "starts_with(" not in text, path.name
    # the one-item lookup is itself bounded by the scope macro
    assert "units_in_view(scope, null)" in (db.SQL_DIR / "item_in_view.sql").read_text(encoding="utf-8")
