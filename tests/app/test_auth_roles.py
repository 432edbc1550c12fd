"""Each role through the real router and pages: what it may open, and that edited URLs show nothing outside its scope."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import appdb, auth, queries
from tests.fixtures import warehouse as fixture

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"

ADMIN = auth.Viewer("root", "管理员", "admin", ("C",))
LEADER = auth.Viewer("lead", "市领导", "leader", ("C",))
SUPERVISOR = auth.Viewer("sup", "督查员", "supervisor", ("B03",))
STAFF = auth.Viewer("zhao", "赵敏", "staff", ("B03",), person_id="P07")
WALL = auth.Viewer("wall", "大屏", "display", ("C",), mask_names=True, board="wall")

# What a supervisor of B03 must never see: the names of other bureaus, their people and their items.
B01_NAMES = ("市发展改革委", "综合科", "规划科", "张伟", "王芳", "李娜", "刘洋", "DOC-0001", "RQ-0001", "MS-0001-1")


@pytest.fixture(autouse=True)
def env(dashboard_env):
    queries.set_caching(False)
    yield dashboard_env
    queries.set_caching(True)


def rendered(at: AppTest) -> str:
    """Every text the run put on screen, tables included."""
    parts = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        value = getattr(node, "value", None)
        if hasattr(value, "to_string"):
            parts.append(value.to_string())
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def open_page(viewer: auth.Viewer, page: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["viewer"] = viewer
    at.query_params.update(params)
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def warned_out_of_scope(at: AppTest) -> bool:
    return any("不在您的查看范围内" in w.value for w in at.warning)


@pytest.mark.parametrize("page, params", [
    pytest.param("unit", {"unit": "B01"}, id="unit-of-another-bureau"),
    pytest.param("unit", {"unit": "D0101"}, id="division-of-another-bureau"),
    pytest.param("worklist", {"unit": "B01"}, id="worklist-of-another-bureau"),
    pytest.param("item", {"kind": "document", "item": "DOC-0001"}, id="item-of-another-bureau"),
    pytest.param("item", {"kind": "request", "item": "RQ-0001"}, id="request-of-another-bureau"),
    pytest.param("person", {"person": "P01"}, id="person-of-another-bureau"),
])
def test_a_supervisor_editing_the_url_sees_nothing_of_another_bureau(page, params):
    at = open_page(SUPERVISOR, page, **params)
    assert warned_out_of_scope(at)
    text = rendered(at)
    assert not [name for name in B01_NAMES if name in text]


@pytest.mark.parametrize("value", ["' or '1'='1", "B03' or 1=1 --", "B01%", "../B01", "%"],
                         ids=["quote-or", "comment", "like", "path", "percent"])
def test_sql_metacharacters_in_url_parameters_select_nothing(value):
    for page, params in (("unit", {"unit": value}), ("worklist", {"unit": value}),
                         ("item", {"kind": "document", "item": value}), ("person", {"person": value})):
        at = open_page(SUPERVISOR, page, **params)
        assert warned_out_of_scope(at), (page, value)
        assert not [name for name in B01_NAMES if name in rendered(at)]


def test_a_search_box_with_sql_metacharacters_only_narrows():
    at = open_page(SUPERVISOR, "worklist", q="' or '1'='1", status="all")
    text = rendered(at)
    assert not [name for name in B01_NAMES if name in text]
    assert "RQ-0008" not in text, "no title contains the search text"


def test_staff_see_their_own_items_and_not_a_colleagues():
    at = open_page(STAFF, "worklist", status="all")
    text = rendered(at)
    assert "RQ-0008" in text and "RQ-0009" in text
    assert "DOC-0008" not in text and "MS-0003-1" not in text, "items of colleague P08 in the same division"
    at = open_page(STAFF, "item", kind="document", item="DOC-0008")
    assert warned_out_of_scope(at)
    at = open_page(STAFF, "person", person="P08")
    assert warned_out_of_scope(at)


@pytest.mark.parametrize("page, heading", [("admin_users", "用户与角色"), ("admin_audit", "审计日志")])
def test_only_administrators_get_the_administration_pages(page, heading):
    at = open_page(ADMIN, page)
    assert [h.value for h in at.header] == [heading] and not at.error
    for viewer in (LEADER, SUPERVISOR, STAFF, WALL):
        at = open_page(viewer)
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"pages/{page}.py")


def test_export_is_offered_to_supervisors_and_not_to_leaders_or_staff():
    assert open_page(SUPERVISOR, "worklist", status="all").get("download_button")
    assert not open_page(LEADER, "worklist", status="all").get("download_button")
    assert not open_page(STAFF, "worklist", status="all").get("download_button")


def test_the_decision_form_is_offered_only_to_those_who_may_decide():
    at = open_page(SUPERVISOR, "item", kind="request", item="RQ-0008")
    assert at.button(key="decision_submit")
    for viewer in (LEADER, STAFF):
        at = open_page(viewer, "item", kind="request", item="RQ-0008")
        assert not [b for b in at.button if b.key == "decision_submit"], viewer.role


def test_a_supervisor_records_an_exemption_on_an_item_of_their_bureau():
    at = open_page(SUPERVISOR, "item", kind="request", item="RQ-0008")
    at.text_area(key="decision_note").input("暴雨导致现场无法处置，经分管领导批准容错")
    at.button(key="decision_submit").click().run()
    assert not at.exception
    [decision] = appdb.decisions_for("request", "RQ-0008")
    assert (decision["decided_by"], decision["decision_type"]) == ("sup", "exempted")


def test_a_supervisor_cannot_decide_on_another_bureaus_item_even_by_calling_the_function():
    with pytest.raises(appdb.PermissionDenied):
        appdb.record_decision(SUPERVISOR, "document", "DOC-0001", "exempted", "other", "绕过页面")
    assert appdb.decisions_for("document", "DOC-0001") == []


def test_a_wall_screen_gets_the_board_alone_with_masked_names():
    at = open_page(WALL)
    text = rendered(at)
    full_names = [name for _, name, unit, _ in fixture.PERSONS]
    assert not [name for name in full_names if name in text], "names are masked on the wall"
    for page in ("overview", "worklist", "item", "person", "unit", "health"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"pages/{page}.py")
