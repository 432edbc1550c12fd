"""The wall screen in a real Chromium: fits 1920×1080 and 3840×2160 without scrolling, and refreshes by itself."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENSHOTS
from tests.fixtures import warehouse as seeded

pytestmark = pytest.mark.browser

# Every element Streamlit might scroll: none may hold more than it shows.
OVERFLOW = """() => [document.scrollingElement, ...document.querySelectorAll(
    '[data-testid=stMain], [data-testid=stAppViewContainer], [data-testid=stMainBlockContainer], .stApp')]
  .filter(Boolean)
  .map(e => ({name: e.getAttribute('data-testid') || e.className || e.tagName,
              extra: e.scrollHeight - e.clientHeight}))
  .filter(e => e.extra > 1)"""


def wait_for_board(page: Page) -> None:
    expect(page.get_by_test_id("wall-kpi-red-value")).to_have_text(str(seeded.subtree_counts("C")["red"]))
    expect(page.get_by_test_id("wall-unit")).to_have_count(5)
    expect(page.get_by_test_id("wall-trend")).to_be_visible()
    expect(page.get_by_test_id("wall-ranking")).to_be_visible()


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (3840, 2160)], ids=["1080p", "4k"])
def test_wall_fits_the_screen_and_shows_every_light(browser, server, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(server.wall_url())
        wait_for_board(page)
        for status, expected in seeded.subtree_counts("C").items():
            expect(page.get_by_test_id(f"wall-kpi-{status}-value")).to_have_text(str(expected))
        expect(page.locator('[data-testid="wall-unit"][data-status="unknown"]')).to_have_attribute("data-unit", "B04")
        expect(page.get_by_test_id("wall-newly-red-item")).to_have_count(2)
        expect(page.get_by_test_id("stSidebar")).to_have_count(0)
        expect(page.get_by_test_id("stHeader")).to_be_hidden()
        assert page.evaluate(OVERFLOW) == []
        # the board, its lowest charts included, ends inside the screen: nothing is cut off below or beside
        for testid in ("wall-root", "wall-trend", "wall-ranking"):
            box = page.get_by_test_id(testid).bounding_box()
            assert box["y"] >= 0 and box["y"] + box["height"] <= height + 1, testid
            assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, testid
        # text grows with the screen: the red total is about twice as tall on a 4K wall
        kpi = page.get_by_test_id("wall-kpi-red-value").bounding_box()
        assert kpi["height"] > 50 * height / 1080
        page.screenshot(path=str(SCREENSHOTS / f"wall-{width}x{height}.png"))
    finally:
        context.close()


def test_wall_refreshes_itself_when_new_data_is_published(browser, serve):
    own = serve("refresh", XIAONENG_WALL_REFRESH_S="1")
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(own.wall_url())
        wait_for_board(page)
        page.evaluate("() => { window.__sameDocument = true; }")
        seeded.turn_red(own.warehouse, "DOC-0009")
        red = seeded.subtree_counts("C")["red"] + 1
        expect(page.get_by_test_id("wall-kpi-red-value")).to_have_text(str(red), timeout=20_000)
        expect(page.get_by_test_id("wall-kpi-green-value")).to_have_text(str(seeded.subtree_counts("C")["green"] - 1))
        # the value changed inside the open page: no reload happened
        assert page.evaluate("() => window.__sameDocument === true")
    finally:
        context.close()


def test_wall_rotates_to_the_next_board_by_itself(browser, serve):
    own = serve("rotate", XIAONENG_WALL_ROTATE_S="2", XIAONENG_NOW="")
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(own.wall_url())
        board = page.get_by_test_id("wall-board")
        expect(board).to_be_visible()
        first = board.get_attribute("data-board")
        expect(board).not_to_have_attribute("data-board", first, timeout=15_000)
    finally:
        context.close()
