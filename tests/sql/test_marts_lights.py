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
    b.document("doc-1", "2026-03-02 09:00", limit=10, unit="D0102", person="P2")
    b.milestone("ms-1", "2026-01-01", "2026-06-30", progress=5.0)
    b.results = []
    for as_of in (DAY_ONE, DAY_TWO, LATER):
        b.run(as_of)
        b.results.append((marts.refresh(b.con, at(as_of)), marts.check(b.con), state(b),
                          b.rows("select count(*) from mart_newly_red")[0][0]))
    yield b
    b.close()


def state(box: Box) -> tuple:
    (ready, trend_from), = box.rows(db.sql_text("mart_state"))
    return ready, trend_from


def test_marts_follow_each_lights_run(box):
    (first, _, _, newly_first), (second, _, _, _), (third, _, _, _) = box.results
    assert all(checks == {} and ready for _, checks, (ready, _), _ in box.results)
    assert first["previous_day"] is None and newly_first == 0  # one history day: nothing is "newly" red yet
    assert second["previous_day"] == "2026-03-13"
    assert third["days_recounted"] == 1  # a later run the same day recounts that day only


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
        assert state(b)[0]
        b.run(DAY_TWO)
        assert not state(b)[0]
        marts.refresh(b.con, at(DAY_TWO))
        assert state(b)[0]
    finally:
        b.close()
