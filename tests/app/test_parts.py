"""Pure parts of the dashboard: board rotation, source freshness, figures, strings; and the queries against the
public views, so the dashboard and outside tools count the same way."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd
import pytest

from dashboard import boards, charts, freshness, i18n, queries
from tests.fixtures import warehouse as seeded

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 16, 10, 0, tzinfo=TZ)


def tree(*rows: tuple[str, str | None, str, int]) -> pd.DataFrame:
    return pd.DataFrame([{"unit_code": c, "parent_code": p, "light": light, "red": red, "yellow": 0,
                          "name": c, "name_en": None} for c, p, light, red in rows])


CITY = tree(("C", None, "red", 5), ("B1", "C", "green", 0), ("B2", "C", "red", 3), ("B3", "C", "unknown", 0),
            ("D1", "B2", "red", 3))


@pytest.mark.parametrize(("frame", "expected"), [
    pytest.param(CITY, ["B1", "B2", "B3"], id="one-root-gives-its-children"),
    pytest.param(tree(("X", None, "red", 1), ("Y", None, "green", 0), ("X1", "X", "red", 1)), ["X", "Y"],
                 id="several-roots-are-the-top"),
    pytest.param(tree(("D1", None, "red", 1)), ["D1"], id="a-leaf-alone"),
])
def test_top_units(frame, expected):
    assert list(boards.top_units(frame)["unit_code"]) == expected


def test_boards_rotate_overview_units_requests_milestones():
    keys = [b.key for b in boards.boards(CITY, None)]
    assert keys == ["overview", "unit:B1", "unit:B2", "unit:B3", "requests", "milestones"]


@pytest.mark.parametrize(("seconds_later", "expected"), [
    pytest.param(0, 0, id="start"), pytest.param(59, 0, id="same-slot"), pytest.param(60, 1, id="next-slot"),
    pytest.param(6 * 60, 0, id="wraps-around"),
])
def test_pick_board_follows_the_clock(seconds_later, expected):
    all_boards = boards.boards(CITY, None)
    start = datetime.fromtimestamp(6 * 60 * 1000, tz=TZ)  # a multiple of the rotation cycle
    chosen = boards.pick_board(all_boards, None, start + timedelta(seconds=seconds_later), 60)
    assert chosen == all_boards[expected]


def test_pick_board_keeps_a_requested_board_and_ignores_an_unknown_one():
    all_boards = boards.boards(CITY, None)
    assert boards.pick_board(all_boards, "unit:B2", T0, 60).key == "unit:B2"
    assert boards.pick_board(all_boards, "unit:NOPE", T0, 0).key == "overview"


def test_grid_is_worst_first():
    grid = boards.grid_units(CITY, boards.Board("overview", None, None))
    assert list(grid["unit_code"]) == ["B2", "B3", "B1"]


def test_unit_grid_html_escapes_names_and_caps_tiles():
    many = tree(("C", None, "red", 0), *[(f"U{i:02d}", "C", "green", 0) for i in range(20)])
    many = many.assign(green=1, unknown=0, on_time_rate=None)
    many.loc[1, "name"] = "<script>x</script>"
    html = boards.unit_grid_html(
        boards.grid_units(many, boards.Board("overview", None, None)), name=lambda r: r["name"],
        labels={s: s for s in ("red", "yellow", "green", "unknown")}, short={s: s for s in ("red", "yellow", "green",
                                                                                              "unknown")},
        heading="h", more_text=lambda n: f"+{n}")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.count('data-testid="wall-unit"') == boards.GRID_COLUMNS * boards.GRID_ROWS - 1
    assert "+5" in html


def runs(**row) -> pd.DataFrame:
    base = {"pipeline": "p", "kind": "requests", "last_state": "success", "last_success_at": T0 - timedelta(minutes=5),
            "last_failure_at": None, "last_error": None}
    return pd.DataFrame([{**base, **row}])


@pytest.mark.parametrize(("row", "state"), [
    pytest.param({}, "ok", id="recent-success"),
    pytest.param({"last_success_at": T0 - timedelta(hours=4)}, "late", id="old-success-is-late"),
    pytest.param({"last_state": "failed", "last_failure_at": T0 - timedelta(minutes=1), "last_error": "x"}, "failed",
                 id="failure-after-success"),
    pytest.param({"last_state": "failed", "last_success_at": None, "last_failure_at": T0}, "failed",
                 id="failed-never-succeeded"),
    pytest.param({"last_state": "running", "last_success_at": None}, "running", id="first-run-running"),
    pytest.param({"last_success_at": None}, "never", id="never"),
])
def test_source_states(row, state):
    [result] = freshness.source_states(runs(**row), T0, timedelta(hours=3))
    assert result.state == state
    assert result.is_problem == (state in ("late", "failed", "never"))


def test_an_expected_interval_from_the_source_status_sets_when_a_source_is_late():
    expected = pd.DataFrame([{"pipeline": "p", "kind": "requests", "expected_interval_s": 60.0, "last_state": "success"},
                             {"pipeline": "new", "kind": "documents", "expected_interval_s": 300.0, "last_state": None}])
    states = {s.pipeline: s.state for s in freshness.source_states(runs(), T0, timedelta(hours=3), expected)}
    assert states == {"p": "late", "new": "never"}  # five minutes is more than two missed one-minute runs


def test_every_string_has_both_languages():
    for key, (zh, en) in i18n.STRINGS.items():
        assert zh and en, key


def test_unit_bars_carry_unit_and_status_for_drill_down():
    frame = CITY.assign(green=[1, 2, 0, 0, 0], unknown=0, exempted=0, label=CITY["unit_code"])
    fig = charts.unit_bars_figure(frame, {s: s for s in ("red", "yellow", "green", "unknown", "exempted")})
    red = next(trace for trace in fig.data if trace.name.endswith("red"))
    assert [tuple(c) for c in red.customdata][-1] == ("C", "red")  # worst unit drawn on top
    assert fig.layout.clickmode == "event+select"


def test_trend_points_carry_their_status():
    trend = pd.DataFrame({"day": pd.date_range("2026-03-01", periods=3), "red": [1, 2, 3], "yellow": [0, 1, 0]})
    fig = charts.status_trend_figure(trend, {"red": "红", "yellow": "黄"})
    assert [t.customdata[0][0] for t in fig.data] == ["red", "yellow"]


def test_ranking_leaves_out_units_without_due_items():
    frame = CITY.assign(on_time_rate=[0.5, 1.0, None, 0.2, 0.1], due_count=1, label=CITY["unit_code"])
    fig = charts.ranking_figure(frame, "label")
    assert list(fig.data[0].y) == ["D1", "B3", "C", "B1"]  # best on top: plotly draws the last category on top


@pytest.fixture
def scoped(dashboard_env):
    queries.set_caching(False)
    yield
    queries.set_caching(True)


def test_unit_tree_counts_match_the_public_unit_status_view(scoped, seeded_warehouse):
    mine = queries.unit_tree(queries.Scope(("C",))).set_index("unit_code")
    snapshot = seeded_warehouse.with_name(seeded_warehouse.name + ".published") / "current.duckdb"
    with duckdb.connect(str(snapshot), read_only=True) as con:
        public = con.execute("select * from unit_status").df().set_index("unit_code")
    for status in ("red", "yellow", "green", "unknown", "exempted"):
        assert mine[status].to_dict() == public[f"subtree_{status}"].to_dict(), status


SCOPED_QUERIES = {
    "status_totals": lambda s: pd.DataFrame([queries.status_totals(s, unit="B01")]).query("total > 0"),
    "unit_tree": lambda s: queries.unit_tree(s, unit="B01"),
    "person_rollup": lambda s: queries.person_rollup(s, unit="B01"),
    "status_trend": lambda s: queries.status_trend(s, since=seeded.history_day(30), unit="B01"),
    "newly_red": lambda s: queries.newly_red(s, unit="B03"),
    "worklist": lambda s: queries.worklist(s, queries.Worklist(unit="B01"), limit=None),
    "worklist_person": lambda s: queries.worklist(s, queries.Worklist(person="P01"), limit=None),
    "item_detail": lambda s: pd.DataFrame([queries.item_detail(s, "request", "RQ-0001")]).dropna(how="all"),
    "item_history": lambda s: queries.item_history(s, "request", "RQ-0001"),
    "document_steps": lambda s: queries.document_steps(s, "DOC-0001#4"),
    "milestone_nodes": lambda s: queries.milestone_nodes(s, "MS-0001-1"),
    "request_lifecycle": lambda s: pd.DataFrame([queries.request_lifecycle(s, "RQ-0001")]).dropna(how="all"),
    "clock_events": lambda s: queries.clock_events(s, "request", "RQ-0001"),
    "item_changes": lambda s: queries.item_changes(s, "request", "RQ-0001"),
    "person_detail": lambda s: pd.DataFrame([queries.person_detail(s, "P01")]).dropna(how="all"),
}


@pytest.mark.parametrize("name", sorted(SCOPED_QUERIES))
def test_a_scope_of_one_bureau_never_reaches_another(scoped, name):
    """Each query finds its rows (in B01, or B03 for newly red) with the city scope, none from the other bureau."""
    outsider = ("B01",) if name == "newly_red" else ("B03",)
    assert len(SCOPED_QUERIES[name](queries.Scope(("C",)))) > 0
    assert len(SCOPED_QUERIES[name](queries.Scope(outsider))) == 0


def test_an_empty_scope_sees_nothing(scoped):
    assert queries.status_totals(queries.Scope(()))["total"] == 0
    assert queries.unit_tree(queries.Scope(())).empty


def test_trend_from_unit_rollups_matches_the_trend_from_item_history(scoped, seeded_warehouse):
    city = queries.Scope(("C",))
    since = seeded.history_day(30)
    from_rollups = queries.status_trend(city, since, unit="B03")
    snapshot = seeded_warehouse.with_name(seeded_warehouse.name + ".published") / "current.duckdb"
    with duckdb.connect(str(snapshot), read_only=True) as con:
        history = con.execute(
            "select h.snapshot_day, h.status from item_light_history as h join dim_unit as u using (unit_code) "
            "where starts_with(u.path, '/C/B03/')").fetchall()
    expected = {}
    for day, status in history:
        expected.setdefault(day, dict.fromkeys(("red", "yellow", "green", "unknown", "exempted"), 0))[status] += 1
    assert [{"day": d.date(), **{s: int(r[s]) for s in expected[d.date()]}} for d, r in
            zip(from_rollups["day"], from_rollups.to_dict("records"))] == [
        {"day": day, **counts} for day, counts in sorted(expected.items())]
    assert from_rollups.iloc[-1]["red"] == seeded.subtree_counts("B03")["red"]


def test_trend_of_nested_scope_units_counts_each_item_once(scoped):
    since = seeded.history_day(3)
    nested = queries.status_trend(queries.Scope(("C", "B03")), since)
    city = queries.status_trend(queries.Scope(("C",)), since)
    assert nested.to_dict("records") == city.to_dict("records")


def test_trend_of_staff_counts_only_their_items(scoped):
    trend = queries.status_trend(queries.Scope(("D0301",), person="P07"), seeded.history_day(3))
    assert trend.iloc[-1]["red"] == 2 and trend.iloc[-1][["yellow", "green", "unknown"]].sum() == 0


def test_newly_red_panel_counts_all_items_not_only_those_listed():
    items = pd.DataFrame([{"item_id": f"X{i}", "title": f"t{i}", "total": 40} for i in range(boards.NEWLY_RED_ROWS)])
    html = boards.newly_red_html(items, "h", "none", lambda r: (r["title"], ""))
    assert 'data-count="40"' in html and f"+{40 - boards.NEWLY_RED_ROWS}" in html
    assert html.count('data-testid="wall-newly-red-item"') == boards.NEWLY_RED_ROWS
