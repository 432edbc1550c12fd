"""Overview, unit, person, item and pipeline-health pages: the right units, people, items and counts, in scope only."""
from __future__ import annotations

import pytest

from dashboard import appdb
from dashboard.auth import Viewer
from tests.app.helpers import (B03_SUPERVISOR, CITY_LEADER, CITY_SUPERVISOR, STAFF_P07, all_text, attribute_values,
                               frame_column, kpis, open_page)
from tests.fixtures import warehouse as seeded

B01_ONLY = ("市发展改革委", "综合科", "规划科", "DOC-0001", "张伟", "李娜", "RQ-0001")


@pytest.fixture(autouse=True)
def env(dashboard_env):
    pass


def test_overview_counts_every_status_of_the_scope_and_lists_the_unit_tree():
    at = open_page(CITY_SUPERVISOR)
    assert not at.exception
    assert kpis(at) == seeded.subtree_counts("C")
    tree = frame_column(at, "overview_tree", "单位")
    assert [name.strip("\u3000└ ") for name in tree][:3] == ["示范市", "市发展改革委", "综合科"]
    assert len(tree) == len(seeded.UNITS)
    lights = dict(zip([n.strip("\u3000└ ") for n in tree], frame_column(at, "overview_tree", "灯")))
    assert lights["市数据局"] == "? 未知"  # no items: unknown, never green
    assert lights["市统计局"] == "■ 绿灯"
    assert sorted(frame_column(at, "overview_newly_red", "事项")) == ["DOC-0008", "RQ-0009"]


def test_overview_of_a_bureau_supervisor_holds_nothing_of_other_bureaus():
    at = open_page(B03_SUPERVISOR)
    assert kpis(at) == seeded.subtree_counts("B03")
    assert [n.strip("\u3000└ ") for n in frame_column(at, "overview_tree", "单位")] == ["市市场监管局", "执法科", "消保科"]
    text = all_text(at)
    for other in B01_ONLY:
        assert other not in text


def test_overview_of_staff_counts_only_their_own_items():
    at = open_page(STAFF_P07)
    assert kpis(at) == {"red": 2, "yellow": 0, "green": 0, "unknown": 0, "exempted": 0}


def test_overview_says_when_sources_failed_or_are_late():
    at = open_page(CITY_SUPERVISOR)
    assert attribute_values(at, "source-hotline_12345", "data-state") == ["failed"]
    assert attribute_values(at, "source-milestone_ledger", "data-state") == ["late"]
    assert attribute_values(at, "source-oa_demo", "data-state") == ["ok"]
    assert at.warning and "未按时更新" in at.warning[0].value


def test_overview_in_english():
    at = open_page(CITY_SUPERVISOR, lang="en")
    assert at.title[0].value == "Overview"
    assert "● Red" in all_text(at)


def test_pages_before_the_first_publish_say_data_is_not_ready(tmp_path, monkeypatch):
    monkeypatch.setenv("XIAONENG_DB", str(tmp_path / "nothing.duckdb"))
    for page in ("overview", "unit", "worklist", "item", "person", "health"):
        at = open_page(CITY_SUPERVISOR, page)
        assert not at.exception, page
        assert any("数据尚未就绪" in i.value for i in at.info), page


def test_pages_of_a_snapshot_without_marts_say_to_run_the_pipelines(tmp_path, monkeypatch):
    path = tmp_path / "without-marts.duckdb"
    seeded.build(path, marts_refreshed=False)
    monkeypatch.setenv("XIAONENG_DB", str(path))
    for page, params in (("overview", {}), ("unit", {"unit": "B03"}), ("worklist", {}), ("person", {"person": "P07"}),
                         ("item", {"kind": "request", "item": "RQ-0008"})):
        at = open_page(CITY_SUPERVISOR, page, **params)
        assert not at.exception, page
        assert any("数据尚未准备好" in i.value and "python -m pipelines lights" in i.value for i in at.info), page
        assert not at.dataframe, page
    # The pipeline health page still shows the sources and runs, with the same sentence.
    at = open_page(CITY_SUPERVISOR, "health")
    assert not at.exception
    assert any("数据尚未准备好" in i.value for i in at.info)
    assert frame_column(at, "health_sources", "时效")


def test_unit_page_shows_the_unit_its_children_people_and_overdue_items():
    at = open_page(CITY_SUPERVISOR, "unit", unit="B03")
    assert not at.exception
    assert at.title[0].value == "市市场监管局"
    assert kpis(at) == seeded.subtree_counts("B03")
    assert attribute_values(at, "unit-light", "data-status") == ["red"]
    assert frame_column(at, "unit_children_table", "单位") == ["执法科", "消保科"]
    assert frame_column(at, "unit_people", "责任人") == ["赵敏", "黄勇", "周杰"]
    assert sorted(frame_column(at, "unit_overdue", "事项")) == ["DOC-0008", "RQ-0008", "RQ-0009", "RQ-0010"]


def test_picking_another_unit_puts_it_in_the_url():
    at = open_page(CITY_SUPERVISOR, "unit", unit="B03")
    at.selectbox(key="unit_pick").select("D0301").run()
    assert at.title[0].value == "执法科"
    assert at.query_params["unit"] in ("D0301", ["D0301"])


def test_unit_page_of_a_leaf_and_its_breadcrumb():
    at = open_page(CITY_SUPERVISOR, "unit", unit="D0302")
    assert at.title[0].value == "消保科"
    assert kpis(at) == seeded.subtree_counts("D0302")
    assert [link.label for link in at.get("page_link")][:2] == ["示范市 ›", "市市场监管局 ›"]


def test_unit_page_refuses_a_unit_outside_the_scope():
    at = open_page(B03_SUPERVISOR, "unit", unit="B01")
    assert not at.exception
    assert "不在您的查看范围内" in at.warning[0].value
    text = all_text(at)
    for other in B01_ONLY:
        assert other not in text


def test_unit_page_with_a_sql_looking_parameter_finds_nothing():
    at = open_page(B03_SUPERVISOR, "unit", unit="B03' or '1'='1")
    assert "不在您的查看范围内" in at.warning[0].value


def test_person_page_shows_their_items_worst_first():
    at = open_page(CITY_SUPERVISOR, "person", person="P09")
    assert not at.exception
    assert at.title[0].value == "周杰"
    assert frame_column(at, "person_items", "事项")[0] == "RQ-0010"
    assert sorted(frame_column(at, "person_items", "事项")) == ["MS-0003-2", "RQ-0010", "RQ-0011", "RQ-0012"]
    assert kpis(at) == {"red": 1, "yellow": 0, "green": 1, "unknown": 2, "exempted": 0}


def test_person_trend_is_drawn_on_request_and_kept_in_the_url():
    at = open_page(CITY_SUPERVISOR, "person", person="P07")
    assert not at.get("plotly_chart")
    at.toggle(key="person_trend").set_value(True).run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 1
    assert at.query_params["trend"] in ("1", ["1"])
    at = open_page(CITY_SUPERVISOR, "person", person="P07", trend="1")
    assert at.toggle(key="person_trend").value is True


def test_person_page_masks_the_name_for_a_masked_viewer():
    masked = Viewer("sup_masked", "督查", "supervisor", ("C",), mask_names=True)
    at = open_page(masked, "person", person="P07")
    assert at.title[0].value == "赵*"
    assert "赵敏" not in all_text(at)


def test_person_page_refuses_a_person_outside_the_scope():
    at = open_page(B03_SUPERVISOR, "person", person="P01")
    assert "不在您的查看范围内" in at.warning[0].value
    assert "张伟" not in all_text(at)


def test_item_page_explains_a_request_light_with_clock_pauses_and_changes():
    at = open_page(CITY_SUPERVISOR, "item", kind="request", item="RQ-0001")
    assert not at.exception
    assert attribute_values(at, "item-light", "data-status") == ["yellow"]
    text = all_text(at)
    assert "距办理时限仅剩 1 个工作日" in text
    assert "request_limit" in text and "hotline_12345:RQ-0001" in text
    assert "limit_workdays=13 · yellow_unit=workdays · yellow_value=1" in text  # the complaint rule's parameters
    assert "原定时限" in text  # an extension moved the deadline
    assert "等待群众补充材料" in text and "涉及多部门协调，申请延期" in text
    assert "待派单" in text and "办理中" in text


def test_item_page_shows_the_most_specific_rule_parameters_with_the_inherited_ones():
    text = all_text(open_page(CITY_SUPERVISOR, "item", kind="request", item="RQ-0002"))
    assert "limit_workdays=3 · yellow_unit=workdays · yellow_value=1" in text  # consultations: 3 working days


def test_item_page_of_a_document_step_shows_the_document_flow():
    at = open_page(CITY_SUPERVISOR, "item", kind="document_step", item="DOC-0001#4")
    assert frame_column(at, "item_steps_table", "环节") == ["1. 登记", "2. 拟办", "3. 批办", "4. 承办"]
    assert frame_column(at, "item_steps_table", "状态")[-1] == "● 红灯"


def test_item_page_of_an_exempted_item_shows_the_light_before_exemption_and_the_decision_reason():
    appdb.record_decision(CITY_SUPERVISOR, "request", "RQ-0004", "exempted", "force_majeure", "特大暴雨")
    at = open_page(CITY_SUPERVISOR, "item", kind="request", item="RQ-0004")
    assert attribute_values(at, "item-light", "data-status") == ["exempted"]
    text = all_text(at)
    assert "免责前的灯" in text and "● 红灯" in text
    assert "不可抗力" in text and "特大暴雨" in text


def test_item_page_refuses_an_item_outside_the_scope():
    at = open_page(B03_SUPERVISOR, "item", kind="request", item="RQ-0001")
    assert "不在您的查看范围内" in at.warning[0].value
    assert "小区夜间施工噪音扰民" not in all_text(at)


def test_a_supervisor_records_and_revokes_an_exemption_on_the_item_page():
    at = open_page(CITY_SUPERVISOR, "item", kind="document", item="DOC-0008")
    at.selectbox(key="decision_type").select("exempted")
    at.selectbox(key="decision_reason").select("policy_change")
    at.text_area(key="decision_note").input("专项整治方案调整，时限顺延")
    at.button(key="decision_submit").click().run()
    assert not at.exception
    decisions = appdb.decisions_for("document", "DOC-0008")
    assert [(d["decision_type"], d["reason_code"], d["decided_by"]) for d in decisions] == [
        ("exempted", "policy_change", "sup_city")]
    assert any("已记录" in s.value for s in at.success)
    at.button(key=f"revoke_{decisions[0]['decision_id']}").click().run()
    assert appdb.decisions_for("document", "DOC-0008")[0]["revoked_by"] == "sup_city"


def test_a_leader_sees_decisions_but_cannot_record_one():
    at = open_page(CITY_LEADER, "item", kind="document", item="DOC-0008")
    assert not at.exception
    assert not [b for b in at.button if b.key == "decision_submit"]
    assert "暂无决定" in all_text(at)


def test_pipeline_health_shows_last_success_error_and_rejected_records_by_reason():
    at = open_page(CITY_SUPERVISOR, "health")
    assert not at.exception
    sources = dict(zip(frame_column(at, "health_sources", "数据源", by="时效"), frame_column(at, "health_sources", "时效")))
    assert sources["12345工单 (hotline_12345)"] == "● 最近失败"
    assert sources["重点任务节点 (milestone_ledger)"] == "▲ 滞后"
    assert sources["公文 (oa_demo)"] == "■ 正常"
    errors = frame_column(at, "health_sources", "最近错误", by="时效")
    assert any("GB18030" in e for e in errors)
    reasons = list(zip(frame_column(at, "health_quarantine", "数据源", by="原因代码"),
                       frame_column(at, "health_quarantine", "原因代码"),
                       frame_column(at, "health_quarantine", "记录数")))
    assert reasons[0] == ("oa_demo", "bad_timestamp", 2)
    assert set(reasons) == {("oa_demo", "bad_timestamp", 2), ("hotline_12345", "unknown_unit", 1),
                            ("milestone_ledger", "missing_key", 1)}


def test_pipeline_health_is_not_for_staff():
    at = open_page(STAFF_P07, "health")
    assert "不能查看数据管道" in at.warning[0].value
    assert not at.dataframe
