"""Document flow steps are shown by their names in the interface's language, never by the codes the mappings give
them (`handle`): in item titles and categories on the wall, in lists and on the item page; a source's own step
names (an event log's activities) show as they are."""
from __future__ import annotations

import tomllib
from datetime import timedelta
from pathlib import Path

import pytest

from dashboard import i18n
from pipelines import marts, warehouse
from tests.app.helpers import CITY_SUPERVISOR, WALL, all_text, frame_column, html_text, open_page
from tests.fixtures import warehouse as seeded

MAPPINGS = Path(__file__).resolve().parents[2] / "config" / "mappings"
SCHEMA_STEPS = ("register", "propose", "assign", "handle", "close")  # fct_document_step.step_name


def mapped_step_codes() -> set[str]:
    """Every step code a shipped mapping turns a source's step name into."""
    codes = set()
    for path in MAPPINGS.glob("*.toml"):
        mapping = tomllib.loads(path.read_text(encoding="utf-8"))
        codes |= set(mapping.get("document_step", {}).get("values", {}).get("step_name", {}).values())
    return codes


def test_the_mappings_give_the_step_codes_the_schema_names():
    assert mapped_step_codes() == set(SCHEMA_STEPS)


@pytest.mark.parametrize("code", sorted(set(SCHEMA_STEPS) | mapped_step_codes()))
def test_every_step_code_has_a_chinese_and_an_english_name(code):
    zh, en = i18n.step_label(code, "zh"), i18n.step_label(code, "en")
    assert zh != code and all("\u4e00" <= ch <= "\u9fff" for ch in zh)
    assert en != code and en.isascii()
    # a document step's category is its step: the category filter and column say the same
    assert i18n.category_label(code, "zh") == zh and i18n.category_label(code, "en") == en


@pytest.mark.parametrize(("step", "expected"), [
    pytest.param("Register application", "Register application", id="event-log-activity"),
    pytest.param("受理", "受理", id="source-chinese-name"),
    pytest.param("", "", id="empty"),
    pytest.param(None, "", id="missing"),
    pytest.param(float("nan"), "", id="nan"),
])
def test_a_step_name_without_a_label_shows_as_it_is(step, expected):
    assert i18n.step_label(step, "zh") == expected
    assert i18n.category_label(step, "zh") == expected


@pytest.mark.parametrize(("row", "zh", "en"), [
    pytest.param({"kind": "document_step", "title": "关于开展安全生产大检查的通知 · handle", "category": "handle"},
                 "关于开展安全生产大检查的通知 · 承办", "关于开展安全生产大检查的通知 · Handling", id="step-title"),
    pytest.param({"kind": "document_step", "title": "propose", "category": "propose"}, "拟办", "Proposal",
                 id="step-of-a-document-without-title"),
    pytest.param({"kind": "document_step", "title": "Case 17 · Register application",
                  "category": "Register application"}, "Case 17 · Register application",
                 "Case 17 · Register application", id="unknown-step-as-it-is"),
    pytest.param({"kind": "document", "title": "关于 handle 的通知", "category": "handle"}, "关于 handle 的通知",
                 "关于 handle 的通知", id="not-a-step"),
    pytest.param({"kind": "document_step", "title": None, "category": "handle"}, "", "", id="no-title"),
])
def test_item_titles_name_their_step(row, zh, en):
    assert i18n.item_title(row, "zh") == zh
    assert i18n.item_title(row, "en") == en


@pytest.fixture
def coded_steps(dashboard_env, tmp_path, monkeypatch):
    """The seeded warehouse with DOC-0001#4 titled as the lights title steps (`<document> · handle`) and newly red,
    so it shows on the wall."""
    path = tmp_path / "coded" / "xiaoneng.duckdb"
    seeded.build(path)
    with warehouse.writer(path) as con:
        con.execute("update item_light set title = '关于报送2026年一季度重点项目进展的通知 · handle', category = 'handle' "
                    "where item_id = 'DOC-0001#4'")
        con.execute("update item_light_history set status = 'yellow' where item_id = 'DOC-0001#4' and snapshot_day = ?",
                    [seeded.TODAY - timedelta(days=1)])
        marts.refresh(con, seeded.NOW)
        warehouse.publish(con, path)
    monkeypatch.setenv("XIAONENG_DB", str(path))
    monkeypatch.setenv("XIAONENG_WALL_ROTATE_S", "0")
    return path


def test_the_wall_names_a_newly_red_step_in_chinese(coded_steps):
    at = open_page(WALL, view="wall")
    assert not at.exception
    text = html_text(at)
    assert 'data-item="DOC-0001#4"' in text
    assert "关于报送2026年一季度重点项目进展的通知 · 承办" in text
    assert "handle" not in text


def test_the_wall_names_steps_in_english(coded_steps):
    text = html_text(open_page(WALL, view="wall", lang="en"))
    assert "关于报送2026年一季度重点项目进展的通知 · Handling" in text
    assert "· handle" not in text


def test_the_worklist_names_steps_in_titles_and_categories(coded_steps):
    at = open_page(CITY_SUPERVISOR, "worklist", kind="document_step", status="all")
    assert not at.exception
    assert frame_column(at, "wl_table", "标题") == ["关于报送2026年一季度重点项目进展的通知 · 承办"]
    assert frame_column(at, "wl_table", "类别") == ["承办"]
    assert "handle" not in all_text(at)


def test_the_item_page_names_the_document_steps(coded_steps):
    at = open_page(CITY_SUPERVISOR, "item", kind="document_step", item="DOC-0001#4")
    assert not at.exception
    assert at.title[0].value == "关于报送2026年一季度重点项目进展的通知 · 承办"
    steps = frame_column(at, "item_steps_table", "环节")
    assert steps == ["1. 登记", "2. 拟办", "3. 批办", "4. 承办"]
    text = all_text(at)
    for code in SCHEMA_STEPS:
        assert code not in text.replace("document_step", "")
