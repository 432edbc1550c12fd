"""A supervisor in a real Chromium: from the overview down to one item by clicks, and an export matching the list."""
from __future__ import annotations

import csv
import re
import io

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.fixtures import warehouse as seeded

pytestmark = pytest.mark.browser

HEADER_PX = 35  # Streamlit's table header and row height
ROW_PX = 35


def table_with(page: Page, text: str, column: str | None = None) -> Locator:
    """The one table (st.dataframe) whose accessible grid contains `text` (and a `column` heading, if given)."""
    table = page.get_by_test_id("stDataFrame").filter(has=page.locator("table[role=grid]", has_text=text))
    if column:
        table = table.filter(has=page.locator("table[role=grid] thead", has_text=column))
    expect(table).to_have_count(1)
    return table


def table_rows(table: Locator) -> list[list[str]]:
    rows = table.locator("table[role=grid] tbody tr")
    return [[cell.strip() for cell in rows.nth(i).locator("td").all_inner_texts()] for i in range(rows.count())]


def pick_row(page: Page, text: str, column: str | None = None) -> None:
    """Click the selection box of the table row that shows `text`, as a person does."""
    table = table_with(page, text, column)
    table.scroll_into_view_if_needed()
    rows = table_rows(table)
    index = next(i for i, row in enumerate(rows) if any(text == cell.strip("\u3000└ ") for cell in row))
    canvas = table.locator("canvas").first
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + 14, box["y"] + HEADER_PX + ROW_PX * index + ROW_PX / 2)


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / name))


def test_drill_down_from_the_overview_to_one_overdue_item(page, server):
    sign_in(page, server)
    expect(page.get_by_test_id("kpi-red-value")).to_have_text(str(seeded.subtree_counts("C")["red"]))
    expect(page.locator(".js-plotly-plot")).to_have_count(2)
    expect(table_with(page, "市市场监管局", column="按期率")).to_be_visible()
    shot(page, "overview.png")

    pick_row(page, "市市场监管局")
    expect(page).to_have_url(f"{server.url}/unit?unit=B03")
    expect(page.get_by_role("heading", name="市市场监管局")).to_be_visible()
    expect(page.get_by_test_id("kpi-red-value")).to_have_text(str(seeded.subtree_counts("B03")["red"]))
    expect(table_with(page, "赵敏", column="岗位类别")).to_be_visible()
    expect(page.get_by_test_id("stSelectbox").locator("input")).to_have_value(re.compile("市市场监管局$"))
    shot(page, "unit.png")

    pick_row(page, "赵敏", column="岗位类别")
    expect(page).to_have_url(f"{server.url}/person?person=P07")
    expect(page.get_by_role("heading", name="赵敏")).to_be_visible()

    pick_row(page, "RQ-0009")
    expect(page).to_have_url(f"{server.url}/item?kind=request&item=RQ-0009")
    expect(page.get_by_test_id("item-light")).to_have_attribute("data-status", "red")
    expect(page.get_by_test_id("item-reason")).to_contain_text("已超过办理时限")
    expect(page.locator(".js-plotly-plot")).not_to_have_count(0)
    shot(page, "item.png")


def test_export_downloads_exactly_the_rows_of_the_list(page, server):
    sign_in(page, server)
    page.get_by_test_id("stSidebarNav").get_by_text("逾期清单", exact=True).click()
    count = page.get_by_test_id("worklist-count")
    expect(count).to_have_attribute("data-total", str(seeded.subtree_counts("C")["red"]))
    total = int(count.get_attribute("data-total"))

    expect(table_with(page, "事项").locator("table[role=grid] tbody tr")).to_have_count(5)
    shot(page, "worklist.png")

    # Every page of the list as it is on screen (the server shows five rows a page).
    shown: list[str] = []
    while True:
        table = table_with(page, "事项")
        expect(table.locator("table[role=grid] tbody tr")).not_to_have_count(0)
        shown += [row[2] for row in table_rows(table)]
        following = page.get_by_test_id("stPaginationNext")
        if not following.count() or following.is_disabled():
            break
        first = table_rows(table)[0][2]
        following.click()
        expect(table_with(page, "事项").locator("table[role=grid] tbody tr").first).not_to_contain_text(first)
    assert len(shown) == total

    with page.expect_download() as download:
        page.get_by_role("button", name=f"导出 CSV（{total} 条）").click()
    text = download.value.path().read_bytes().decode("utf-8-sig")
    exported = [row["事项"] for row in csv.DictReader(io.StringIO(text))]
    assert exported == shown


def test_clicking_a_unit_bar_opens_the_list_of_that_unit_and_status(page, server):
    sign_in(page, server)
    chart = page.locator(".js-plotly-plot").first
    expect(chart).to_be_visible()
    # The red segments are the first trace; the worst unit (市市场监管局, 4 red) is the top bar, its last point.
    red_bars = chart.locator("g.trace.bars").first.locator("g.point path")
    expect(red_bars).to_have_count(len(seeded.UNITS) - 6)  # the five bureaus
    # plotly listens on a layer above the bars: point at the bar, then click there, as a mouse does
    box = red_bars.last.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    # red is the worklist's default status, so the address keeps only the unit
    expect(page).to_have_url(f"{server.url}/worklist?unit=B03")
    expect(page.get_by_test_id("worklist-count")).to_have_attribute(
        "data-total", str(seeded.subtree_counts("B03")["red"]))
