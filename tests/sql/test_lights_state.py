"""Lights over several runs: exemptions and their revocation, determinism, anti-flapping, stale sources, history."""
from __future__ import annotations

import tomllib

import duckdb

from pipelines import lights, rules, warehouse
from tests.sql.lightbox import Box, at

AS_OF = "2026-03-16 10:00"


def counts(box: Box, unit: str, scope: str = "own") -> tuple:
    return box.rows("select red, yellow, green, unknown, exempted from unit_light "
                    "where unit_code = ? and scope = ? and kind = 'all'", [unit, scope])[0]


def test_exemption_applies_keeps_the_raw_light_and_drops_out_of_rollups(tmp_path):
    b = Box(tmp_path)
    b.request("late", "2026-03-05 09:00", "consultation")
    b.decide("D-1", "request", "late", "2026-03-13 09:00")
    result = b.run(AS_OF)
    light = b.light("request", "late")
    assert (light["status"], light["raw_status"], light["reason_code"]) == ("exempted", "red", "exempted")
    assert light["raw_reason_code"] == "overdue" and light["decision_id"] == "D-1"
    assert light["escalation"] == "none"
    assert light["reason_zh"].startswith("已容错免责（决定 D-1，sup_b01，2026-03-13：特大暴雨），不计入统计；原灯为红灯：逾期")
    assert counts(b, "D0101") == (0, 0, 0, 0, 1)
    assert result["decisions"] == 1
    assert b.rows("select status from item_status where item_id = 'late'") == [("exempted",)]
    b.close()


def test_upheld_appeal_is_exempted_too(tmp_path):
    b = Box(tmp_path)
    b.request("late", "2026-03-05 09:00", "consultation")
    b.decide("A-1", "request", "late", "2026-03-13 09:00", decision_type="appeal_upheld")
    b.run(AS_OF)
    light = b.light("request", "late")
    assert (light["status"], light["reason_code"]) == ("exempted", "appeal_upheld")
    assert light["reason_en"].startswith("Appeal upheld (decision A-1")
    b.close()


def test_revoked_and_future_decisions_do_not_apply(tmp_path):
    b = Box(tmp_path)
    b.request("revoked", "2026-03-05 09:00", "consultation")
    b.request("decided-later", "2026-03-05 09:00", "consultation")
    b.decide("D-1", "request", "revoked", "2026-03-12 09:00")
    b.decide("D-2", "request", "decided-later", "2026-03-17 09:00")
    b.run(AS_OF)
    assert b.light("request", "revoked")["status"] == "exempted"
    # Revoked: the next run shows the original light again; the decision stays on record.
    b.decide("D-1", "request", "revoked", "2026-03-12 09:00", revoked_at="2026-03-16 09:30")
    b.run(AS_OF)
    assert b.light("request", "revoked")["status"] == "red"
    assert b.light("request", "decided-later")["status"] == "red"
    assert b.rows("select count(*) from user_decision where revoked_at is not null") == [(1,)]
    # Before the revocation the exemption held: a replay of an earlier time shows it.
    b.run("2026-03-16 09:00")
    assert b.light("request", "revoked")["status"] == "exempted"
    b.close()


def test_missing_app_database_means_no_decisions(tmp_path):
    b = Box(tmp_path)
    b.request("late", "2026-03-05 09:00", "consultation")
    b.con.execute("insert into user_decision (decision_id, kind, item_id, decision_type) "
                  "values ('OLD', 'request', 'late', 'exempted')")
    assert not b.app_db.exists()
    assert b.run(AS_OF)["decisions"] == 0
    assert b.light("request", "late")["status"] == "red"
    b.close()


def build(folder):
    b = Box(folder)
    b.request("r-late", "2026-03-05 09:00", "consultation")
    b.request("r-ok", "2026-03-13 10:00")
    b.request("r-closed", "2026-03-02 09:00", "consultation", closed="2026-03-09 10:00")
    b.request("r-paused", "2026-03-10 09:00", "consultation")
    b.suspend("request", "r-paused", "2026-03-12 00:00", None)
    b.milestone("m", "2026-01-01", "2026-06-30", progress=21)
    b.document("d", "2026-03-02 09:00")
    b.step("d", 1, "register", "2026-03-13 09:00", limit=1)
    b.decide("D-1", "request", "r-closed", "2026-03-10 09:00")
    return b


def snapshot(box: Box) -> list[tuple]:
    return box.rows("select * exclude (run_id) from item_light order by kind, item_id")


def test_same_data_and_time_give_identical_lights(tmp_path):
    first = build(tmp_path / "a")
    first.run(AS_OF)
    once = snapshot(first)
    again = first.run(AS_OF)
    assert snapshot(first) == once
    assert again["rewritten"] == 0
    other = build(tmp_path / "b")
    other.run(AS_OF)
    assert snapshot(other) == once
    for b in (first, other):
        b.close()


def test_a_later_run_rewrites_only_what_changed(tmp_path):
    b = build(tmp_path)
    b.run(AS_OF)
    before = dict(((k, i), h) for k, i, h in b.rows("select kind, item_id, light_hash from item_light"))
    result = b.run("2026-03-16 10:30")
    after = dict(((k, i), h) for k, i, h in b.rows("select kind, item_id, light_hash from item_light"))
    changed = {key for key in after if after[key] != before[key]}
    # Half an hour moves open clocks by 0.02 working days: no value shown to a tenth of a working day changes,
    # so only the suspended item is rewritten (its deadline moves on while the clock stands still).
    assert result["rewritten"] == len(changed)
    assert changed == {("request", "r-paused")}
    assert b.rows("select count(distinct as_of) from item_light") == [(1,)]
    assert b.rows("select max(as_of) from item_status") == [(at("2026-03-16 10:30"),)]
    b.close()


def test_milestone_recovering_from_red_stays_yellow_until_the_gap_is_made_up(tmp_path):
    b = Box(tmp_path)
    b.milestone("m", "2026-01-01", "2026-06-30", progress=6)
    b.run("2026-03-16 10:00")
    assert b.light("milestone", "m")["status"] == "red"
    b.set_progress("m", 38)                       # 3 points behind: green on its own
    b.run("2026-03-17 10:00")
    light = b.light("milestone", "m")
    assert (light["status"], light["raw_reason_code"], light["recovering"]) == ("yellow", "recovering", True)
    assert light["reason_zh"].startswith("由红灯恢复中，暂显示黄灯")
    b.run("2026-03-20 10:00")                     # hold of two working days over, but still behind plan
    assert b.light("milestone", "m")["status"] == "yellow"
    b.set_progress("m", 50)                       # ahead of the 44 % planned: the gap is made up
    b.run("2026-03-20 11:00")
    assert (b.light("milestone", "m")["status"], b.light("milestone", "m")["recovering"]) == ("green", False)
    b.set_progress("m", 45)                       # slightly behind again: no longer recovering, so green
    b.run("2026-03-23 10:00")
    assert b.light("milestone", "m")["status"] == "green"
    b.close()


def test_item_back_on_time_after_an_extension_is_held_yellow_for_the_hold(tmp_path):
    b = Box(tmp_path)
    b.request("late", "2026-03-05 09:00", "consultation")
    b.run("2026-03-12 10:00")
    assert b.light("request", "late")["status"] == "red"
    b.extend("request", "late", "2026-03-12 12:00", "2026-03-31 18:00")
    b.run("2026-03-13 10:00")
    assert (b.light("request", "late")["status"], b.light("request", "late")["reason_code"]) == \
        ("yellow", "recovering")
    b.run("2026-03-16 09:00")                     # 1.96 working days after the last red: still held
    assert b.light("request", "late")["status"] == "yellow"
    b.run("2026-03-16 11:00")                     # more than two working days: green
    assert b.light("request", "late")["status"] == "green"
    b.close()


def test_stale_source_is_never_green(tmp_path):
    b = Box(tmp_path)
    b.request("ok", "2026-03-13 10:00")
    b.request("late", "2026-03-05 09:00", "consultation")
    b.request("other-source", "2026-03-13 10:00", source="hotline_b")
    b.request("closed", "2026-03-02 09:00", "consultation", closed="2026-03-04 10:00")
    b.con.execute("insert into source_status (source, is_stale) values ('hotline', true), ('hotline_b', false)")
    b.run(AS_OF)
    ok = b.light("request", "ok")
    assert (ok["status"], ok["raw_status"], ok["reason_code"], ok["stale"]) == ("unknown", "unknown", "stale_source",
                                                                                 True)
    assert "数据源 hotline 未按时更新" in ok["reason_zh"]
    assert (b.light("request", "late")["status"], b.light("request", "late")["stale"]) == ("red", True)
    assert b.light("request", "other-source")["status"] == "green"
    assert b.light("request", "closed")["status"] == "green"
    b.close()


def test_history_keeps_a_daily_snapshot_and_the_days_latest_light(tmp_path):
    b = Box(tmp_path)
    b.request("turns-red", "2026-03-12 09:00", "consultation")         # due at the end of 17 March
    b.request("closed-long-ago", "2026-01-05 09:00", "consultation", closed="2026-01-06 10:00")
    b.run("2026-03-17 09:00")
    b.run("2026-03-17 17:00")
    b.run("2026-03-18 09:00")
    b.run("2026-03-18 10:00")
    rows = b.rows("select snapshot_day::varchar, item_id, status from item_light_history order by all")
    assert rows == [("2026-03-17", "turns-red", "yellow"), ("2026-03-18", "turns-red", "red")]
    b.con.execute("update fct_request set closed_at = timestamptz '2026-03-18 11:00+08' where request_id = 'turns-red'")
    b.run("2026-03-18 12:00")
    assert b.rows("select status from item_light_history where snapshot_day = date '2026-03-18'") == [("red",)]
    assert b.rows("select count(*) from unit_light_history where snapshot_day = date '2026-03-18'") == [(10,)]
    for name in ("item_light_history_key",):
        assert b.rows(lights.sql_text(f"checks/{name}")) == []
    b.close()


def test_history_records_a_change_later_the_same_day(tmp_path):
    b = Box(tmp_path)
    b.request("r", "2026-03-12 09:00", "consultation")
    b.run("2026-03-17 09:00")
    b.decide("D-1", "request", "r", "2026-03-17 10:00")
    b.run("2026-03-17 11:00")
    assert b.rows("select status from item_light_history") == [("exempted",)]
    b.close()


def test_command_recomputes_records_the_run_and_publishes(tmp_path, monkeypatch, capsys):
    db = tmp_path / "xiaoneng.duckdb"
    monkeypatch.setenv("XIAONENG_DB", str(db))
    monkeypatch.setenv("XIAONENG_APP_DB", str(tmp_path / "app.sqlite"))
    with warehouse.writer(db) as con:
        con.execute("insert into dim_unit (unit_code, name, level, path) values ('C', '示范市', 1, '/C/')")
        con.execute("insert into fct_request (request_id, category, unit_code, received_at, source, updated_at, "
                    "run_id) values ('R1', 'consultation', 'C', timestamptz '2026-03-05 09:00+08', 'hotline', "
                    "now(), 0)")
    assert lights.main(["--as-of", "2026-03-16T10:00"]) == 0
    assert "lights as of 2026-03-16T10:00:00+08:00" in capsys.readouterr().out
    snapshot = warehouse.current_link(db)
    with duckdb.connect(str(snapshot), read_only=True) as con:
        assert con.execute("select status from item_status where item_id = 'R1'").fetchall() == [("red",)]
        assert con.execute("select pipeline, state from pipeline_runs").fetchall() == [("lights", "success")]


def test_command_rejects_a_bad_time(capsys):
    assert lights.main(["--as-of", "yesterday"]) == 2
    assert "ISO-8601" in capsys.readouterr().err


def test_a_new_rule_version_rewrites_every_light(tmp_path):
    b = build(tmp_path)
    b.run(AS_OF)
    again = b.run(AS_OF, rules.parse_rules({**tomllib.loads(rules.rules_path().read_text(encoding="utf-8")),
                                            "version": "2026.2"}))
    assert again["rewritten"] == again["items"]
    assert b.rows("select distinct rule_version from item_light") == [("2026.2",)]
    assert all("（2026.2）" in zh for (zh,) in b.rows("select reason_zh from item_light"))
    b.close()
