"""The overdue worklist: filters from the URL and the widgets, paging in SQL, scope, and exports of exactly the list."""
from __future__ import annotations

import io

import fastexcel
import pandas as pd
import pytest

from dashboard import appdb, exports, queries
from tests.app.helpers import B03_SUPERVISOR, CITY_LEADER, CITY_SUPERVISOR, STAFF_P07, all_text, frame_column, open_page
from tests.fixtures import warehouse as seeded

RED_NOW = sorted(i.item_id for i in seeded.ITEMS if i.status == "red")


@pytest.fixture(autouse=True)
def env(dashboard_env):
    pass


def listed(at) -> list[str]:
    return frame_column(at, "wl_table", "事项") if any(f.key == "wl_table" for f in at.dataframe) else []


def total(at) -> int:
    return int(next(h for h in at.html if 'data-testid="worklist-count"' in str(h.value)).value
               .split('data-total="')[1].split('"')[0])


def test_default_list_is_every_red_item_most_overdue_first():
    at = open_page(CITY_SUPERVISOR, "worklist")
    assert not at.exception
    assert sorted(listed(at)) == RED_NOW
    assert listed(at)[0] == "RQ-0005"  # 6 working days overdue
    assert total(at) == len(RED_NOW)


def test_filters_come_from_the_url():
    at = open_page(CITY_SUPERVISOR, "worklist", unit="B03", status="all")
    assert total(at) == sum(seeded.subtree_counts("B03").values())
    at = open_page(CITY_SUPERVISOR, "worklist", kind="request", status="red")
    assert sorted(listed(at)) == ["RQ-0005", "RQ-0008", "RQ-0009", "RQ-0010"]
    at = open_page(CITY_SUPERVISOR, "worklist", q="张伟", status="all")
    assert sorted(listed(at)) == ["DOC-0001", "DOC-0001#4", "MS-0001-1"]
    at = open_page(CITY_SUPERVISOR, "worklist", overdue="3")
    assert sorted(listed(at)) == ["DOC-0001", "MS-0001-2", "RQ-0005", "RQ-0010"]


def test_a_day_in_the_trend_lists_the_items_that_had_that_status_that_day():
    at = open_page(CITY_SUPERVISOR, "worklist", day="2026-03-15", status="red")
    assert not at.exception
    # RQ-0009 and DOC-0008 turned red today; DOC-0007 was red yesterday and is closed now.
    assert sorted(listed(at)) == sorted(set(RED_NOW) - {"RQ-0009", "DOC-0008"})
    assert "2026-03-15" in all_text(at)


def test_widgets_change_the_list_and_the_url():
    at = open_page(CITY_SUPERVISOR, "worklist")
    at.selectbox(key="wl_unit").select("D0301").run()
    assert sorted(listed(at)) == ["DOC-0008", "RQ-0008", "RQ-0009"]
    at.multiselect(key="wl_status").select("yellow").run()
    assert sorted(listed(at)) == ["DOC-0008", "MS-0003-1", "RQ-0008", "RQ-0009"]
    at.text_input(key="wl_q").input("燃气").run()
    assert listed(at) == ["RQ-0008"]
    params = {k: at.query_params[k] for k in at.query_params}
    assert params["unit"] in ("D0301", ["D0301"]) and params["q"] in ("燃气", ["燃气"])


def test_paging_happens_in_the_database(monkeypatch):
    monkeypatch.setenv("XIAONENG_PAGE_SIZE", "4")
    at = open_page(CITY_SUPERVISOR, "worklist")
    first = listed(at)
    assert len(first) == 4 and total(at) == len(RED_NOW)
    at = open_page(CITY_SUPERVISOR, "worklist", page="3")
    last = listed(at)
    assert len(last) == len(RED_NOW) - 8
    assert not set(first) & set(last)


def test_a_bureau_supervisor_lists_only_their_bureau_whatever_the_url_says():
    at = open_page(B03_SUPERVISOR, "worklist")
    assert sorted(listed(at)) == ["DOC-0008", "RQ-0008", "RQ-0009", "RQ-0010"]
    at = open_page(B03_SUPERVISOR, "worklist", unit="B01")
    assert not at.exception
    assert listed(at) == []
    assert "不在您的查看范围内" in at.warning[-1].value
    at = open_page(B03_SUPERVISOR, "worklist", q="' or 1=1 --", status="all")
    assert listed(at) == []


def test_staff_list_only_their_own_items():
    at = open_page(STAFF_P07, "worklist", status="all")
    assert sorted(listed(at)) == ["RQ-0008", "RQ-0009"]


def test_export_buttons_only_for_roles_that_may_export():
    at = open_page(CITY_SUPERVISOR, "worklist")
    assert [b.key for b in at.get("download_button")] == ["wl_export_csv", "wl_export_xlsx"]
    at = open_page(CITY_LEADER, "worklist")
    assert not at.get("download_button")
    assert "无导出权限" in all_text(at)


def test_exports_hold_exactly_the_filtered_rows_of_every_page(monkeypatch):
    monkeypatch.setenv("XIAONENG_PAGE_SIZE", "3")
    filters = queries.Worklist(unit="C", statuses=("red", "yellow"))
    scope = queries.Scope.of(CITY_SUPERVISOR)
    expected = queries.worklist(scope, filters, limit=None)["item_id"].tolist()
    assert len(expected) == seeded.subtree_counts("C")["red"] + seeded.subtree_counts("C")["yellow"]
    table = exports.frame(scope, filters, masked=False, language="zh")
    csv = pd.read_csv(io.BytesIO(exports.csv_bytes(table)), encoding="utf-8-sig")
    assert csv["事项"].tolist() == expected
    assert list(csv.columns) == ["状态", "类型", "事项", "标题", "类别", "单位", "责任人", "办理时限", "逾期(工作日)", "研判依据"]
    out = io.BytesIO()
    exports.write_xlsx(table, out, "逾期清单")
    sheet = fastexcel.read_excel(out.getvalue()).load_sheet("逾期清单", dtypes="string", eager=True)
    assert sheet.schema.names == list(csv.columns)
    assert sheet.column(2).to_pylist() == expected


def test_exports_are_audited():
    exports.audit(CITY_SUPERVISOR, {"format": "csv", "rows": 9, "filters": {"statuses": ["red"]}})
    entries = appdb.audit_entries(action="export")
    assert entries and entries[0]["username"] == "sup_city" and entries[0]["detail"]["rows"] == 9
