"""The marts after real lights runs: consistent with the lights and their history, run after run, as the pipelines
call them (lights.recompute, then marts.refresh with the same as_of, then publish)."""
from __future__ import annotations

import pytest

from dashboard import db
from pipelines import marts
from tests.sql.lightbox import Box, at

DAY_ONE = "2026-03-13 10:00"
DAY_TWO = "2026-03-16 10:00"
LATER = "2026-03-16 15:00"


@pytest.fixture(scope="module")
def box(tmp_path_factory):
    b = Box(tmp_path_factory.mktemp("marts"))
    b.request("rq-late", "2026-02-20 09:00", "consultation", unit="D0101", person="P1")
    b.request("rq-soon", "2026-03-12 10:00", unit="D0101", person="P1")
    b.request("rq-fresh", "2026-03-13 09:00", unit="D0102", person="P2")
    b.request("rq-closed", "2026-03-02 10:00", "consultation", unit="B02", person="P3", closed="2026-03-03 10:00")
    b.request("rq-old", "2025-11-02 10:00", "consultation", unit="B02", person="P3", closed="2025-11-03 10:00")
    # three working days: yellow on day one, red on day two
    b.request("rq-turning", "2026-03-10 10:00", "consultation", unit="D0102", person="P2")
    # closed weeks late, months ago: red for good, but counted nowhere and in no day's history
    b.request("rq-old-late", "2025-10-01 10:00", unit="B02", person="P3", closed="2025-12-20 10:00")
    b.document("doc-1", "2026-03-02 09:00", limit=10, unit="D0102", person="P2")
    b.milestone("ms-1", "2026-01-01", "2026-06-30", progress=5.0)
    b.results = []
    b.newly = {}
    for as_of in (DAY_ONE, DAY_TWO, LATER):
        b.run(as_of)
        b.results.append((marts.refresh(b.con, at(as_of)), marts.check(b.con), state(b),
                          b.rows("select count(*) from mart_newly_red")[0][0]))
        b.newly[as_of] = {r[0] for r in b.rows("select item_id from mart_newly_red")}
    yield b
    b.close()


def state(box: Box) -> bool:
    """Whether the dashboard reads these marts (dashboard/sql/mart_state.sql)."""
    (ready,), = box.rows(db.sql_text("mart_state"))
    return ready


def test_marts_follow_each_lights_run(box):
    (first, _, _, newly_first), (second, _, _, _), (third, _, _, _) = box.results
    assert all(checks == {} and ready for _, checks, ready, _ in box.results)
    assert first["previous_day"] is None and newly_first == 0  # one history day: nothing is "newly" red yet
    assert second["previous_day"] == "2026-03-13"
    assert third["days_recounted"] == 1  # a later run the same day recounts that day only


def test_newly_red_are_counted_red_items_that_were_not_red_the_day_before(box):
    red_day_one = {r[0] for r in box.rows("select item_id from item_light_history "
                                          "where snapshot_day = '2026-03-13' and status = 'red'")}
    red_now = {r[0] for r in box.rows("select item_id from item_light where status = 'red' "
                                      "and (is_open or done_at >= as_of - interval 30 day)")}
    assert box.light("request", "rq-old-late")["status"] == "red"
    assert "rq-late" in red_day_one and "rq-late" in red_now  # red then and now: not newly red
    assert box.newly[DAY_TWO] == box.newly[LATER] == red_now - red_day_one == {"rq-turning"}
    assert "rq-old-late" not in red_now


def test_unit_counts_match_the_public_unit_status_view(box):
    mine = dict(box.rows("select unit_code, sum(red + yellow + green + unknown + exempted) from mart_unit_counts "
                         "group by unit_code"))
    public = dict(box.rows("select unit_code, red + yellow + green + unknown + exempted from unit_status"))
    assert {u: n for u, n in public.items() if n} == {u: int(n) for u, n in mine.items() if n}


def test_active_items_are_the_counted_items(box):
    active = {r[0] for r in box.rows("select item_id from mart_active_item")}
    counted = {r[0] for r in box.rows("select item_id from item_light where is_open "
                                      "or done_at >= as_of - interval 30 day")}
    assert active == counted and "rq-old" not in active and "rq-closed" in active


def test_a_lights_run_without_a_marts_refresh_leaves_the_marts_not_ready(tmp_path):
    b = Box(tmp_path)
    try:
        b.request("rq-1", "2026-03-02 10:00", unit="D0101", person="P1")
        b.run(DAY_ONE)
        marts.refresh(b.con, at(DAY_ONE))
        assert state(b)
        b.run(DAY_TWO)
        assert not state(b)
        marts.refresh(b.con, at(DAY_TWO))
        assert state(b)
    finally:
        b.close()


def test_an_item_first_seen_after_the_days_first_run_and_red_is_not_newly_red_the_next_day(tmp_path):
    b = Box(tmp_path)
    try:
        b.request("rq-a", "2026-03-02 10:00", unit="D0101", person="P1")
        b.run(DAY_ONE)
        # a work order loaded later that day, already overdue: red on day one
        b.request("rq-b", "2026-02-10 10:00", "consultation", unit="D0101", person="P1")
        b.run("2026-03-13 15:00")
        assert b.light("request", "rq-b")["status"] == "red"
        b.run(DAY_TWO)
        marts.refresh(b.con, at(DAY_TWO))
        assert b.light("request", "rq-b")["status"] == "red"
        assert b.rows("select item_id from mart_newly_red") == []
    finally:
        b.close()
