"""Rollups to persons and units, rate lights with a minimum sample, red streaks and the escalation ladder."""
from __future__ import annotations

import pytest

from pipelines import lights, rules
from tests.sql.lightbox import Box

AS_OF = "2026-03-16 10:00"


@pytest.fixture(scope="module")
def box(tmp_path_factory):
    b = Box(tmp_path_factory.mktemp("rollups"))
    # D0101 / P1: one overdue, one due soon, one on track.
    b.request("p1-red", "2026-03-05 09:00", "consultation", unit="D0101", person="P1")
    b.request("p1-yellow", "2026-02-27 10:00", unit="D0101", person="P1")
    b.request("p1-green", "2026-03-13 10:00", unit="D0101", person="P1")
    # D0102 / P2: green only, and an item without a deadline.
    b.request("p2-green", "2026-03-13 10:00", unit="D0102", person="P2")
    b.request("p2-unknown", "2026-03-13 10:00", "other", unit="D0102", person="P2")
    # B02 / P3: closed long ago (outside the 30-day window) — nothing counted.
    b.request("p3-old", "2025-12-01 10:00", "consultation", unit="B02", person="P3", closed="2025-12-02 10:00")
    b.result = b.run(AS_OF)
    yield b
    b.close()


def unit(box, code, scope, kind="all"):
    cursor = box.con.execute("select * from unit_light where unit_code = ? and scope = ? and kind = ?",
                             [code, scope, kind])
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    assert len(rows) == 1
    return dict(zip(names, rows[0]))


UNITS = [
    # unit, scope, status, reason_code, red, yellow, green, unknown
    ("D0101", "own", "red", "worst", 1, 1, 1, 0),
    ("D0102", "own", "green", "worst", 0, 0, 1, 1),
    ("B01", "own", "unknown", "no_items", 0, 0, 0, 0),
    ("B01", "subtree", "red", "worst", 1, 1, 2, 1),
    ("C", "subtree", "red", "worst", 1, 1, 2, 1),
    ("B02", "subtree", "unknown", "no_items", 0, 0, 0, 0),
]


@pytest.mark.parametrize("code, scope, status, reason, red, yellow, green, unknown", UNITS,
                         ids=[f"{u[0]}-{u[1]}" for u in UNITS])
def test_unit_rollup_worst(box, code, scope, status, reason, red, yellow, green, unknown):
    row = unit(box, code, scope)
    assert (row["status"], row["reason_code"]) == (status, reason)
    assert (row["red"], row["yellow"], row["green"], row["unknown"]) == (red, yellow, green, unknown)


def test_unit_status_view_keeps_its_columns_and_counts(box):
    cursor = box.con.execute("select * from unit_status where unit_code = 'B01'")
    names = [d[0] for d in cursor.description]
    row = dict(zip(names, cursor.fetchone()))
    for column in ("unit_code", "name", "parent_code", "level", "red", "yellow", "green", "unknown", "exempted",
                   "subtree_red", "subtree_yellow", "subtree_green", "subtree_unknown", "subtree_exempted"):
        assert column in names
    assert (row["red"], row["subtree_red"], row["subtree_green"], row["subtree_unknown"]) == (0, 1, 2, 1)
    assert row["status"] == "red" and row["escalation"] in ("none", "blue", "orange", "red")


def test_rollup_checks_find_nothing(box):
    for name in ("unit_light_key", "person_light_key", "rate_light_key"):
        assert box.rows(lights.sql_text(f"checks/{name}")) == [], name
    assert lights.run_sql(box.con, "checks/unit_rollup_matches_items", rules.load_rules().parameters()) == []


def test_person_rollup(box):
    rows = dict(((p, k), (s, n)) for p, k, s, n in box.rows(
        "select person_id, kind, status, items from person_light"))
    assert rows[("P1", "all")] == ("red", 3)
    assert rows[("P1", "request")] == ("red", 3)
    assert rows[("P2", "all")] == ("green", 2)
    assert ("P3", "all") not in rows
    assert box.rows("select unit_code, worst_escalation from person_light where person_id = 'P1' and kind = 'all'") \
        == [("D0101", "orange")]


def test_mostly_unknown_is_not_green(tmp_path):
    b = Box(tmp_path)
    b.request("known", "2026-03-13 10:00", unit="D0102", person="P2")
    b.request("unknown-1", "2026-03-13 10:00", "other", unit="D0102", person="P2")
    b.request("unknown-2", "2026-03-13 10:00", "other", unit="D0102", person="P2")
    b.run(AS_OF)
    assert unit(b, "D0102", "own")[("status")] == "unknown"
    assert unit(b, "D0102", "own")["reason_code"] == "mostly_unknown"
    b.close()


def test_share_method_colours_by_the_share_of_red(tmp_path):
    b = Box(tmp_path)
    b.request("red", "2026-03-05 09:00", "consultation", unit="D0101")
    for n in range(9):
        b.request(f"green-{n}", "2026-03-13 10:00", unit="D0101")
    b.request("red-b02", "2026-03-05 09:00", "consultation", unit="B02", person="P3")
    b.request("green-b02", "2026-03-13 10:00", unit="B02", person="P3")
    rule_set = rules.parse_rules({
        "version": "t",
        "indicator": {"request": {"limit_by_category": {"complaint": 13, "consultation": 3}}},
        "rollup": {"method": "share", "red_share": 0.5, "yellow_share": 0.1},
    })
    b.run(AS_OF, rule_set)
    assert (unit(b, "D0101", "own")["status"], unit(b, "D0101", "own")["reason_code"]) == ("yellow", "yellow_share")
    assert unit(b, "D0101", "own")["red_share"] == pytest.approx(0.1)
    assert (unit(b, "B02", "own")["status"], unit(b, "B02", "own")["reason_code"]) == ("red", "red_share")
    b.close()


@pytest.fixture(scope="module")
def rated(tmp_path_factory):
    b = Box(tmp_path_factory.mktemp("rates"))
    # P1: 12 consultations closed in the last 30 days, 11 on time, 2 dissatisfied, 1 re-opened.
    for n in range(12):
        late = n == 0
        b.request(f"p1-{n}", "2026-03-02 09:00", "consultation", unit="D0101", person="P1",
                  closed="2026-03-09 10:00" if late else "2026-03-04 10:00",
                  satisfaction="dissatisfied" if n < 2 else "satisfied", reopened=1 if n == 5 else 0)
    # P2: ten closed on time, all satisfied.
    for n in range(10):
        b.request(f"p2-{n}", "2026-03-02 09:00", "consultation", unit="D0102", person="P2",
                  closed="2026-03-04 10:00", satisfaction="satisfied")
    # P3: only three closed — not enough to judge.
    for n in range(3):
        b.request(f"p3-{n}", "2026-03-02 09:00", "consultation", unit="B02", person="P3",
                  closed="2026-03-04 10:00", satisfaction="satisfied")
    b.run(AS_OF)
    yield b
    b.close()


def rate(box, subject_type, subject, scope, name):
    rows = box.rows("select numerator, denominator, status, reason_code, reason_zh from rate_light "
                    "where subject_type = ? and subject_id = ? and scope = ? and rate = ?",
                    [subject_type, subject, scope, name])
    assert len(rows) == 1
    return rows[0]


RATES = [
    # subject type, subject, scope, rate, numerator, denominator, status, reason code
    ("person", "P1", "own", "on_time", 11, 12, "yellow", "rate_low"),
    ("person", "P1", "own", "satisfaction", 10, 12, "yellow", "rate_low"),
    ("person", "P1", "own", "reopened", 1, 12, "yellow", "rate_high"),
    ("person", "P2", "own", "on_time", 10, 10, "green", "rate_ok"),
    ("person", "P3", "own", "on_time", 3, 3, "unknown", "not_enough_data"),
    ("unit", "D0101", "own", "on_time", 11, 12, "yellow", "rate_low"),
    ("unit", "B01", "own", "on_time", 0, 0, "unknown", "not_enough_data"),
    ("unit", "B01", "subtree", "on_time", 21, 22, "green", "rate_ok"),
    ("unit", "C", "subtree", "satisfaction", 23, 25, "green", "rate_ok"),
    ("unit", "C", "subtree", "reopened", 1, 25, "green", "rate_ok"),
]


@pytest.mark.parametrize("subject_type, subject, scope, name, num, den, status, code", RATES,
                         ids=[f"{r[1]}-{r[2]}-{r[3]}" for r in RATES])
def test_rate_lights(rated, subject_type, subject, scope, name, num, den, status, code):
    numerator, denominator, got_status, got_code, _ = rate(rated, subject_type, subject, scope, name)
    assert (numerator, denominator, got_status, got_code) == (num, den, status, code)


def test_too_small_a_sample_says_so(rated):
    *_, reason = rate(rated, "person", "P3", "own", "on_time")
    assert reason.startswith("样本不足") and "少于 10 件" in reason


def test_rate_reason_gives_value_and_thresholds(rated):
    *_, reason = rate(rated, "person", "P1", "own", "on_time")
    assert reason.startswith("按期办结率 91.7%（11/12，近 30 天）") and "低于 95% 为黄" in reason


def test_red_streak_counts_working_days_and_climbs_the_ladder(tmp_path):
    b = Box(tmp_path)
    b.request("late", "2026-03-02 09:00", "consultation", unit="D0101")
    seen = []
    # Thursday, Friday, Saturday (a day off: ignored), Monday.
    for as_of in ("2026-03-12 10:00", "2026-03-13 10:00", "2026-03-14 10:00", "2026-03-16 10:00"):
        b.run(as_of)
        row = unit(b, "D0101", "own")
        seen.append((row["red_days_in_row"], row["escalation"]))
    assert seen == [(1, "blue"), (2, "orange"), (2, "orange"), (3, "red")]
    assert str(unit(b, "D0101", "own")["red_since"]) == "2026-03-12"
    assert unit(b, "C", "subtree")["red_days_in_row"] == 3
    b.close()


def test_a_working_day_without_red_breaks_the_streak(tmp_path):
    b = Box(tmp_path)
    b.request("late", "2026-03-05 09:00", "consultation", unit="D0101")      # due at the end of 10 March
    b.extend("request", "late", "2026-03-12 12:00", "2026-03-13 18:00")
    seen = []
    for as_of in ("2026-03-12 10:00", "2026-03-13 10:00", "2026-03-16 10:00"):
        b.run(as_of)
        seen.append(unit(b, "D0101", "own")["red_days_in_row"])
    # Red on Thursday; extended, so not red on Friday; overdue again on Monday: a new run of one day.
    assert seen == [1, 0, 1]
    b.close()
