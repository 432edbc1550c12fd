"""Item lights from a few facts: deadlines on the official calendar, pauses, extensions, milestones against plan."""
from __future__ import annotations

from datetime import timedelta

import pytest

from pipelines import calendar, lights, rules
from tests.sql.lightbox import Box, at

AS_OF = "2026-03-16 10:00"          # a Monday


@pytest.fixture(scope="module")
def box(tmp_path_factory):
    b = Box(tmp_path_factory.mktemp("items"))
    # Work orders; without a limit the request class gives one (complaint 13, consultation 3, emergency 0).
    b.request("complaint-received-sunday", "2026-03-01 15:00")
    b.request("consultation-overdue", "2026-03-05 09:00", "consultation")
    b.request("complaint-due-soon", "2026-02-27 10:00")
    b.request("source-limit-wins", "2026-03-12 09:00", limit=1)
    b.request("source-due-time", "2026-03-12 09:00", None, due="2026-03-20 18:00")
    b.request("no-deadline", "2026-03-12 09:00", "other")
    b.request("closed-on-time", "2026-03-02 09:00", "consultation", closed="2026-03-04 10:00")
    b.request("closed-late", "2026-03-02 09:00", "consultation", closed="2026-03-09 10:00")
    b.request("suspended", "2026-02-27 10:00")
    b.suspend("request", "suspended", "2026-03-02 00:00", "2026-03-06 00:00")
    b.request("suspended-now", "2026-03-10 09:00", "consultation")
    b.suspend("request", "suspended-now", "2026-03-12 00:00", None)
    b.request("extended", "2026-03-05 09:00", "consultation")
    b.extend("request", "extended", "2026-03-09 11:00", "2026-03-20 18:00")
    b.request("emergency-today", "2026-03-16 08:00", "emergency")
    b.request("emergency-friday-night", "2026-03-13 20:00", "emergency")
    b.request("new-york-time", "2026-03-13T20:30:00-04:00", "consultation")
    b.request("received-after-as-of", "2026-03-16 11:00", "consultation")
    b.request("closed-after-as-of", "2026-03-02 09:00", "consultation", closed="2026-03-20 10:00")
    # Documents and steps from the OA system.
    b.document("spring-festival", "2026-02-12 09:00", limit=5, closed="2026-02-26 17:00")
    b.document("no-limit-uses-rule", "2026-03-02 09:00")
    b.step("spring-festival", 1, "register", "2026-03-13 09:00", limit=1)
    # Milestones against the time-proportional plan (1 Jan - 30 Jun: 75 of 181 days, 41 %, on 16 March).
    b.milestone("behind-20", "2026-01-01", "2026-06-30", progress=21)
    b.milestone("behind-35", "2026-01-01", "2026-06-30", progress=6)
    b.milestone("on-plan", "2026-01-01", "2026-06-30", progress=45)
    b.milestone("not-started", "2026-03-01", "2026-09-30", progress=0)
    b.milestone("not-started-3-months", "2025-12-01", "2026-12-31", progress=0)
    b.milestone("no-progress", "2026-01-01", "2026-06-30", progress=None)
    b.milestone("not-yet-planned", "2026-04-01", "2026-06-30", progress=None)
    b.milestone("overdue", "2026-01-01", "2026-03-10", progress=80)
    b.milestone("due-soon", "2026-03-01", "2026-03-17", progress=90)
    b.milestone("completed-late", "2026-01-01", "2026-03-06", progress=100, actual="2026-03-10")
    b.milestone("completed-on-time", "2026-01-01", "2026-03-06", progress=100, actual="2026-03-06")
    b.result = b.run(AS_OF)
    yield b
    b.close()


REQUESTS = [
    # item, status, reason_code, due (local), working days left, working days late (whole days, today counted)
    ("complaint-received-sunday", "green", "on_track", "2026-03-19 00:00", 3, 0),
    ("consultation-overdue", "red", "overdue", "2026-03-11 00:00", -4, 4),
    ("complaint-due-soon", "yellow", "due_soon", "2026-03-18 00:00", 2, 0),
    ("source-limit-wins", "red", "overdue", "2026-03-14 00:00", -1, 1),
    ("source-due-time", "green", "on_track", "2026-03-20 18:00", 5, 0),
    ("closed-on-time", "green", "closed_on_time", "2026-03-06 00:00", 2, 0),
    ("closed-late", "red", "closed_late", "2026-03-06 00:00", -2, 2),
    ("suspended", "green", "on_track", "2026-03-24 00:00", 6, 0),
    ("extended", "green", "on_track", "2026-03-20 18:00", 5, 0),
    ("emergency-today", "green", "on_track", "2026-03-17 00:00", 1, 0),
    ("emergency-friday-night", "red", "overdue", "2026-03-14 00:00", -1, 1),
    ("new-york-time", "green", "on_track", "2026-03-19 00:00", 3, 0),
    ("closed-after-as-of", "red", "overdue", "2026-03-06 00:00", -7, 7),
]


@pytest.mark.parametrize("item, status, code, due, left, late", REQUESTS, ids=[r[0] for r in REQUESTS])
def test_request_lights(box, item, status, code, due, left, late):
    light = box.light("request", item)
    assert (light["status"], light["reason_code"]) == (status, code)
    assert light["due_at"] == at(due)
    assert (light["wd_remaining"], light["wd_late"]) == (left, late)
    assert light["rule_version"] == box.result["rule_version"]


def test_deadlines_in_sql_agree_with_the_python_calendar(box):
    cal = calendar.Calendar(calendar.parse_config({}).default, 2025, 2027)
    for item_id, received, limit in box.rows(
            "select r.request_id, r.received_at, l.wd_allowed from fct_request r join item_light l "
            "on l.kind = 'request' and l.item_id = r.request_id "
            "where r.due_at is null and l.wd_allowed is not null and l.wd_paused = 0 "
            "and not exists (select 1 from fct_extension e where e.item_id = r.request_id)"):
        light = box.light("request", item_id)
        assert light["due_at"] == cal.deadline(received, round(limit)), item_id


def test_source_limit_and_due_time_are_named_in_the_explanation(box):
    assert "来源时限 1 个工作日" in box.light("request", "source-limit-wins")["reason_zh"]
    assert "规则默认时限 13 个工作日" in box.light("request", "complaint-received-sunday")["reason_zh"]
    assert "due time given by the source" in box.light("request", "source-due-time")["reason_en"]


def test_explanation_carries_rule_thresholds_clock_and_source_record(box):
    light = box.light("request", "consultation-overdue")
    zh, en = light["reason_zh"], light["reason_en"]
    # Due at the end of 10 March; on Monday 16 March the 11th, 12th, 13th and 16th are working days past it.
    assert zh.startswith("逾期 4 个工作日")
    assert "（督办：橙色督办）" in zh and light["escalation"] == "orange"
    assert "截止 2026-03-10 24:00" in zh
    assert "已用 7 / 3 个工作日，剩余 -4" in zh
    assert "request.limit_by_category.consultation" in zh and "剩余不超过 2 个工作日为黄" in zh
    assert "来源记录 hotline:consultation-overdue" in zh
    assert en.startswith("Overdue by 4 working days") and "Source record hotline:consultation-overdue" in en
    assert light["source_record"] == "hotline:consultation-overdue"
    assert light["calendar_basis"] == "official"


def test_no_deadline_is_unknown_never_green(box):
    light = box.light("request", "no-deadline")
    assert (light["status"], light["reason_code"], light["due_at"]) == ("unknown", "no_deadline", None)
    assert "不计为绿灯" in light["reason_zh"]


def test_a_suspension_moves_the_deadline_by_the_paused_working_days(box):
    light = box.light("request", "suspended")
    assert light["wd_paused"] == pytest.approx(4.0)
    assert light["original_due_at"] == light["due_at"] == at("2026-03-24 00:00")
    assert "挂起 4 个工作日不计时" in light["reason_zh"]


def test_an_open_suspension_pauses_the_clock_now(box):
    light = box.light("request", "suspended-now")
    # Received Tuesday 10 March, paused from Thursday: one working day used (Wednesday), two left, frozen.
    assert (light["status"], light["reason_code"]) == ("yellow", "paused")
    assert light["wd_used"] == pytest.approx(1.0)
    assert light["wd_remaining"] == pytest.approx(2.0)


def test_an_extension_moves_the_deadline_and_keeps_the_original(box):
    light = box.light("request", "extended")
    assert light["original_due_at"] == at("2026-03-11 00:00")
    assert light["due_at"] == at("2026-03-20 18:00")
    assert "原截止 2026-03-10 24:00" in light["reason_zh"]


def test_same_day_limit_uses_office_hours_for_yellow(box):
    light = box.light("request", "emergency-today")
    # Six office hours are left today (10-12, 13:30-17:30): more than the four that make it yellow.
    assert light["rule_id"] == "request.limit_by_category.emergency + emergency-same-day"
    assert "剩余不超过 4 个工作小时为黄" in light["reason_zh"]


def test_items_not_yet_received_at_as_of_are_not_lit(box):
    assert box.rows("select count(*) from item_light where item_id = 'received-after-as-of'") == [(0,)]
    assert box.light("request", "closed-after-as-of")["is_open"] is True


def test_documents_and_steps(box):
    festival = box.light("document", "spring-festival")
    # 13, 14 (make-up Saturday), 24, 25, 26 February: five working days; closed on the fifth.
    assert (festival["status"], festival["reason_code"]) == ("green", "closed_on_time")
    assert festival["due_at"] == at("2026-02-27 00:00")
    assert box.light("document", "no-limit-uses-rule")["wd_allowed"] == pytest.approx(15)
    step = box.light("document_step", "spring-festival#1")
    assert (step["status"], step["reason_code"], step["category"]) == ("yellow", "due_soon", "register")
    assert step["title"] == "公文 spring-festival · register"


MILESTONES = [
    # item, status, reason_code, planned progress (rounded)
    ("behind-20", "yellow", "behind_plan", 41),
    ("behind-35", "red", "behind_plan", 41),
    ("on-plan", "green", "on_track", 41),
    ("not-started", "yellow", "not_started", 7),
    ("not-started-3-months", "red", "not_started", 27),
    ("no-progress", "unknown", "no_progress", 41),
    ("not-yet-planned", "green", "on_track", 0),
    ("overdue", "red", "overdue", 100),
    ("due-soon", "yellow", "due_soon", 94),
    ("completed-late", "red", "closed_late", None),
    ("completed-on-time", "green", "closed_on_time", None),
]


@pytest.mark.parametrize("item, status, code, planned", MILESTONES, ids=[m[0] for m in MILESTONES])
def test_milestone_lights(box, item, status, code, planned):
    light = box.light("milestone", item)
    assert (light["status"], light["reason_code"]) == (status, code)
    if planned is None:
        assert light["planned_pct"] is None
    else:
        assert light["planned_pct"] == pytest.approx(planned, abs=0.5)


def test_milestone_completed_late_counts_working_days(box):
    light = box.light("milestone", "completed-late")
    # Planned Friday 6 March, done Tuesday 10 March: two working days late (9 and 10 March).
    assert light["wd_late"] == pytest.approx(2.0)
    assert light["done_at"] == at("2026-03-10 00:00")


def test_milestone_explanation_names_the_plan(box):
    zh = box.light("milestone", "behind-35")["reason_zh"]
    assert zh.startswith("落后序时进度 35 个百分点")
    assert "序时进度 41%，实际进度 6%" in zh
    assert "落后序时进度 10 个百分点及以上为黄、超过 30 为红" in zh


def test_every_light_is_in_the_vocabulary_and_keys_are_unique(box):
    for name in ("item_light_key", "item_light_history_key", "item_light_vocabulary"):
        assert box.rows(lights.sql_text(f"checks/{name}")) == [], name


def test_dates_beyond_the_official_calendar_are_assumed_and_explained(tmp_path):
    b = Box(tmp_path)
    b.request("into-2027", "2026-12-28 09:00")
    b.request("in-2026", "2026-12-01 09:00", "consultation")
    result = b.run("2026-12-30 10:00")
    light = b.light("request", "into-2027")
    assert light["calendar_basis"] == "assumed"
    assert "工作日暂按周一至周五推定" in light["reason_zh"]
    assert "assumed to be Monday to Friday" in light["reason_en"]
    assert b.light("request", "in-2026")["calendar_basis"] == "official"
    assert any("2027" in w for w in result["warnings"])
    b.close()


def test_working_hours_and_share_thresholds(tmp_path):
    b = Box(tmp_path)
    b.request("hours", "2026-03-12 09:00", "x", due="2026-03-16 16:00")
    b.request("share", "2026-03-09 09:00", "y", limit=5)
    rule_set = rules.parse_rules({"version": "t", "override": [
        {"id": "by-hours", "indicator": "request", "category": "x", "yellow_within": {"workhours": 4}},
        {"id": "by-share", "indicator": "request", "category": "y", "yellow_within": {"share": 0.2}},
    ]})
    b.run("2026-03-16 11:00", rule_set)
    hours = b.light("request", "hours")
    # 11:00-12:00 and 13:30-16:00 are 3.5 office hours: within 4.
    assert (hours["status"], hours["reason_code"]) == ("yellow", "due_soon")
    assert "3.5 个工作小时" in hours["reason_zh"]
    share = b.light("request", "share")
    # Five working days to the end of 16 March; 0.54 of them left = 11 %: within 20 %.
    assert (share["status"], share["rule_id"]) == ("yellow", "by-share")
    b.run("2026-03-16 11:00", rule_set)
    b.close()


def test_overrides_cascade_per_parameter(tmp_path):
    b = Box(tmp_path)
    b.request("b01-complaint", "2026-03-12 09:00", "complaint", unit="D0101")
    b.request("b02-complaint", "2026-03-12 09:00", "complaint", unit="B02", person="P3")
    rule_set = rules.parse_rules({
        "version": "t",
        "indicator": {"request": {"limit_by_category": {"complaint": 13}}},
        "override": [
            {"id": "b01-share", "unit": "B01", "yellow_within": {"share": 0.7}},
            {"id": "d0101-fast", "unit": "D0101", "category": "complaint", "limit_workdays": 4},
        ],
    })
    b.run("2026-03-16 10:00", rule_set)
    near = b.light("request", "b01-complaint")
    # The limit comes from the most specific rule (unit and category), the yellow share from the unit rule.
    assert near["wd_allowed"] == pytest.approx(4)
    assert near["rule_id"] == "b01-share + d0101-fast"
    assert near["status"] == "yellow"
    far = b.light("request", "b02-complaint")
    assert far["wd_allowed"] == pytest.approx(13)
    assert far["rule_id"] == "defaults + request.limit_by_category.complaint"
    b.close()


def test_unit_calendar_applies_to_the_unit_subtree(tmp_path):
    b = Box(tmp_path)
    b.request("in-b01", "2026-03-13 09:00", "consultation", unit="D0101")
    b.request("in-b02", "2026-03-13 09:00", "consultation", unit="B02", person="P3")
    config = calendar.parse_config({"calendars": {"duty": {
        "units": ["B01"], "days": [{"from": at("2026-03-14 00:00").date(), "to": at("2026-03-15 00:00").date(),
                                    "workday": True, "name": "值守"}]}}})
    b.run("2026-03-16 10:00", calendar_config=config)
    duty = b.light("request", "in-b01")
    assert duty["calendar_id"] == "duty" and duty["calendar_basis"] == "local"
    assert duty["due_at"] == at("2026-03-17 00:00")          # Saturday and Sunday worked
    assert duty["status"] == "yellow"
    plain = b.light("request", "in-b02")
    assert (plain["calendar_id"], plain["due_at"]) == ("default", at("2026-03-19 00:00"))
    assert b.rows("select count(*) from dim_calendar where day = date '2026-03-14' and not is_workday") == [(1,)]
    b.close()


def test_recompute_refuses_a_naive_time(tmp_path):
    b = Box(tmp_path)
    with pytest.raises(ValueError, match="aware"):
        lights.recompute(b.con, at("2026-03-16 10:00").replace(tzinfo=None))
    b.close()


def test_recompute_records_its_run_and_the_rule_set(box):
    run_id = box.result["run_id"]
    state, pipeline = box.rows("select state, pipeline from pipeline_run where run_id = ?", [run_id])[0]
    assert (state, pipeline) == ("success", "lights")
    assert box.rows("select count(*) from item_light where run_id <> ?", [run_id]) == [(0,)]
    assert box.rows("select count(distinct rule_version) from light_rule") == [(1,)]
    assert box.result["items"] == box.rows("select count(*) from item_light")[0][0]
    assert at(AS_OF) + timedelta(0) == box.rows("select max(as_of) from item_light")[0][0]
