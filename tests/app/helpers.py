"""Helpers for the dashboard's AppTests: open a page as a given viewer and read what it drew."""
from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.auth import Viewer

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"

CITY_SUPERVISOR = Viewer("sup_city", "全市督查", "supervisor", ("C",))
B03_SUPERVISOR = Viewer("sup_b03", "市场监管督查", "supervisor", ("B03",))
CITY_LEADER = Viewer("leader", "市领导", "leader", ("C",))
STAFF_P07 = Viewer("staff_p07", "赵敏", "staff", ("D0301",), person_id="P07")
WALL = Viewer("wall", "大屏", "display", ("C",), mask_names=True)


def open_page(viewer: Viewer | None, page: str | None = None, /, **params: str) -> AppTest:
    """Run the app as `viewer` on dashboard/pages/<page>.py (the router's default page when None)."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    if viewer is not None:
        at.session_state["viewer"] = viewer
    for key, value in params.items():
        at.query_params[key] = value
    if page is not None:
        at.switch_page(f"pages/{page}.py")
    return at.run()


def html_text(at: AppTest) -> str:
    return "\n".join(str(h.value) for h in at.html)


def all_text(at: AppTest) -> str:
    parts = [html_text(at)]
    for kind in ("title", "markdown", "caption", "info", "warning", "error", "success", "subheader"):
        parts += [str(e.value) for e in getattr(at, kind)]
    for frame in at.dataframe:
        parts.append(frame.value.to_csv())
    return "\n".join(parts)


def values_by_testid(at: AppTest, testid: str) -> list[str]:
    """Text inside elements carrying data-testid=<testid> in the page's HTML blocks."""
    return re.findall(rf'data-testid="{re.escape(testid)}"[^>]*>([^<]*)<', html_text(at))


def kpis(at: AppTest, prefix: str = "kpi") -> dict[str, int]:
    out = {}
    for status in ("red", "yellow", "green", "unknown", "exempted"):
        values = values_by_testid(at, f"{prefix}-{status}-value")
        if values:
            out[status] = int(values[0])
    return out


def attribute_values(at: AppTest, testid: str, attribute: str) -> list[str]:
    return re.findall(rf'data-testid="{re.escape(testid)}"[^>]*?{attribute}="([^"]*)"', html_text(at))


def frame_column(at: AppTest, key: str, column: str, by: str | None = None) -> list:
    """A column of the dataframe drawn with `key`; tables without selection carry no key in AppTest, so those
    are found by a column only they have (`by`, else `column` itself)."""
    for frame in at.dataframe:
        if frame.key == key:
            return list(frame.value[column])
    having = [f for f in at.dataframe if f.key is None and (by or column) in getattr(f.value, "columns", [])]
    if len(having) == 1:
        return list(having[0].value[column])
    raise AssertionError(f"no single dataframe {key!r} with column {column!r}; have {[f.key for f in at.dataframe]}")
