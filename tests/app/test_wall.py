"""The wall screen: totals, units worst first, newly red, sources, boards and masking, within the viewer's scope."""
from __future__ import annotations

import pytest

from tests.app.helpers import (B03_SUPERVISOR, CITY_SUPERVISOR, WALL, all_text, attribute_values, html_text, kpis,
                               open_page, values_by_testid)
from tests.fixtures import warehouse as seeded


@pytest.fixture(autouse=True)
def env(dashboard_env, monkeypatch):
    monkeypatch.setenv("XIAONENG_WALL_ROTATE_S", "0")
    monkeypatch.setenv("XIAONENG_WALL_MASK_NAMES", "0")


def test_wall_shows_totals_and_units_worst_first():
    at = open_page(WALL, view="wall")
    assert not at.exception
    assert kpis(at, "wall-kpi") == seeded.subtree_counts("C")
    assert attribute_values(at, "wall-board", "data-board") == ["overview"]
    # B03, B01, B02 are red (most red first), B04 has no items so it is unknown, never green; B05 is green.
    assert attribute_values(at, "wall-unit", "data-unit") == ["B03", "B01", "B02", "B04", "B05"]
    assert attribute_values(at, "wall-unit", "data-status") == ["red", "red", "red", "unknown", "green"]


def test_wall_lists_the_items_newly_red_since_yesterday():
    at = open_page(WALL, view="wall")
    assert sorted(attribute_values(at, "wall-newly-red-item", "data-item")) == ["DOC-0008", "RQ-0009"]
    assert attribute_values(at, "wall-newly-red", "data-count") == ["2"]


def test_wall_says_which_source_failed_or_is_late_while_showing_the_last_good_data():
    text = html_text(open_page(WALL, view="wall"))
    assert "12345工单：最近一次运行失败（2026-03-16 09:50），仍显示 2026-03-16 08:51 的数据" in text
    assert "重点任务节点：数据已滞后，最近成功于 2026-03-14 17:06" in text
    assert "wall-src-bad" in text


def test_wall_of_a_display_account_masks_names():
    at = open_page(WALL, view="wall")
    text = html_text(at)
    assert "赵*" in text and "赵敏" not in text
    assert "黄*" in text and "黄勇" not in text


def test_wall_shows_names_only_when_neither_account_nor_url_masks_them():
    assert "赵敏" in html_text(open_page(CITY_SUPERVISOR, view="wall"))
    at = open_page(CITY_SUPERVISOR, view="wall", mask="1")
    assert "赵敏" not in html_text(at) and "赵*" in html_text(at)


def test_wall_board_of_one_unit_shows_its_subtree_only():
    at = open_page(WALL, view="wall", board="unit:B03")
    assert kpis(at, "wall-kpi") == seeded.subtree_counts("B03")
    assert attribute_values(at, "wall-unit", "data-unit") == ["D0301", "D0302"]
    assert values_by_testid(at, "wall-board") == ["市市场监管局"]


def test_wall_board_of_citizen_requests_counts_requests_only():
    at = open_page(WALL, view="wall", board="requests")
    requests = [i for i in seeded.ITEMS if i.kind == "request" and not (i.closed_days_ago or 0) > 30]
    assert sum(kpis(at, "wall-kpi").values()) == len(requests)
    assert kpis(at, "wall-kpi")["red"] == sum(1 for i in requests if i.status == "red")
    assert sorted(attribute_values(at, "wall-newly-red-item", "data-item")) == ["RQ-0009"]


def test_wall_of_a_bureau_supervisor_never_shows_other_bureaus():
    at = open_page(B03_SUPERVISOR, view="wall")
    assert kpis(at, "wall-kpi") == seeded.subtree_counts("B03")
    assert attribute_values(at, "wall-unit", "data-unit") == ["D0301", "D0302"]
    text = all_text(at)
    for other in ("市发展改革委", "综合科", "DOC-0001", "张伟"):
        assert other not in text


def test_a_url_naming_a_unit_outside_the_scope_shows_nothing_of_it():
    at = open_page(B03_SUPERVISOR, view="wall", unit="B01")
    assert not at.exception
    assert kpis(at, "wall-kpi") == {}
    assert values_by_testid(at, "wall-no-data")
    assert "综合科" not in all_text(at)


def test_wall_in_english():
    at = open_page(WALL, view="wall", lang="en")
    text = html_text(at)
    assert "Newly red since yesterday" in text and "Market Regulation Bureau" in text
    assert '<div class="wall-kpi-label">● Red</div>' in text
    assert "红灯" not in text


def test_wall_without_published_data_says_so_in_a_sentence(tmp_path, monkeypatch):
    monkeypatch.setenv("XIAONENG_DB", str(tmp_path / "never-published.duckdb"))
    at = open_page(WALL, view="wall")
    assert not at.exception
    assert "数据尚未就绪" in html_text(at)


def test_wall_of_a_snapshot_published_without_marts_says_to_run_the_pipelines(tmp_path, monkeypatch):
    path = tmp_path / "without-marts.duckdb"
    seeded.build(path, marts_refreshed=False)
    monkeypatch.setenv("XIAONENG_DB", str(path))
    at = open_page(WALL, view="wall")
    assert not at.exception
    assert "数据尚未准备好" in html_text(at) and "python -m pipelines lights" in html_text(at)
    assert kpis(at, "wall-kpi") == {}


def test_the_newly_red_count_is_never_above_the_red_count_beside_it():
    for board in ("overview", "unit:B01", "unit:B03", "requests", "milestones"):
        at = open_page(WALL, view="wall", board=board)
        newly = int(attribute_values(at, "wall-newly-red", "data-count")[0])
        assert newly <= kpis(at, "wall-kpi")["red"], board


def test_a_display_account_gets_the_wall_even_without_view_parameter():
    at = open_page(WALL)
    assert not at.exception
    assert attribute_values(at, "wall-board", "data-board") == ["overview"]
