"""Wall-screen boards: which boards a scope rotates through, which one shows now, and their HTML blocks."""
from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from dashboard import theme

WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
GRID_COLUMNS = 4
GRID_ROWS = 4
NEWLY_RED_ROWS = 7


@dataclass(frozen=True)
class Board:
    key: str  # overview | unit:<code> | requests | milestones
    unit: str | None  # the subtree shown; None: the viewer's whole scope
    kind: str | None  # only this kind of item; None: all


def top_units(tree: pd.DataFrame) -> pd.DataFrame:
    """The units one level below the view's single root, or the roots themselves when the scope has several."""
    codes = set(tree["unit_code"])
    roots = tree[~tree["parent_code"].isin(codes)]
    if len(roots) == 1:
        children = tree[tree["parent_code"] == roots.iloc[0]["unit_code"]]
        if not children.empty:
            return children
    return roots


def boards(tree: pd.DataFrame, root: str | None) -> list[Board]:
    """Overview, then each top-level unit, then citizen requests, then milestones."""
    out = [Board("overview", root, None)]
    out += [Board(f"unit:{code}", code, None) for code in top_units(tree)["unit_code"]]
    out += [Board("requests", root, "request"), Board("milestones", root, "milestone")]
    return out


def pick_board(all_boards: list[Board], requested: str | None, now: datetime, rotate_s: float) -> Board:
    """A requested board stays put; otherwise rotate on the clock, so every screen on a board shows the same one."""
    if requested:
        for board in all_boards:
            if board.key == requested:
                return board
    if rotate_s <= 0:
        return all_boards[0]
    return all_boards[int(now.timestamp() // rotate_s) % len(all_boards)]


def grid_units(tree: pd.DataFrame, board: Board) -> pd.DataFrame:
    """The tiles of a board: the board unit's children (or the top units), worst first."""
    if board.unit is not None:
        rows = tree[tree["parent_code"] == board.unit]
        if rows.empty:
            rows = tree[tree["unit_code"] == board.unit]
    else:
        rows = top_units(tree)
    rows = rows.assign(_rank=rows["light"].map(theme.SEVERITY).fillna(9))
    return rows.sort_values(["_rank", "red", "yellow", "unit_code"], ascending=[True, False, False, True])


def clock_text(now: datetime, lang: str) -> tuple[str, str]:
    if lang == "en":
        return now.strftime("%H:%M"), now.strftime("%a %d %b %Y")
    return now.strftime("%H:%M"), f"{now.year}年{now.month}月{now.day}日 {WEEKDAYS_ZH[now.weekday()]}"


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text))


def header_html(title: str, board_title: str, now: datetime, lang: str, board_key: str) -> str:
    hhmm, day = clock_text(now, lang)
    return (
        f'<div class="wall-header"><div class="wall-title">{_e(title)}'
        f'<span class="wall-board" data-testid="wall-board" data-board="{_e(board_key)}">{_e(board_title)}</span></div>'
        f'<div class="wall-clock" data-testid="wall-clock"><span class="wall-time">{_e(hhmm)}</span>'
        f'<span class="wall-day">{_e(day)}</span></div></div>')


def sources_html(label: str, sentences: list[tuple[str, bool]]) -> str:
    """One line of data-as-of per source; late or failed sources in red words."""
    chips = "".join(
        f'<span class="{"wall-src-bad" if bad else "wall-src"}">{"⚠ " if bad else ""}{_e(text)}</span>'
        for text, bad in sentences)
    return f'<div class="wall-sources" data-testid="wall-sources"><span class="wall-src-label">{_e(label)}</span>{chips}</div>'


def kpi_html(totals: Mapping[str, int], labels: Mapping[str, str]) -> str:
    tiles = []
    for status in theme.STATUSES:
        tiles.append(
            f'<div class="wall-kpi" data-testid="wall-kpi-{status}" data-status="{status}" '
            f'style="--c:{theme.color(status)}">'
            f'<div class="wall-kpi-label">{theme.icon(status)} {_e(labels[status])}</div>'
            f'<div class="wall-kpi-value" data-testid="wall-kpi-{status}-value">{int(totals.get(status, 0))}</div>'
            f'</div>')
    return f'<div class="wall-kpis">{"".join(tiles)}</div>'


def unit_grid_html(units: pd.DataFrame, name: Callable[[dict], str], labels: Mapping[str, str],
                   short: Mapping[str, str], heading: str, more_text: Callable[[int], str],
                   rate_label: str, fmt_rate: Callable[[object], str]) -> str:
    capacity = GRID_COLUMNS * GRID_ROWS
    rows = units.to_dict("records")
    shown = rows if len(rows) <= capacity else rows[: capacity - 1]
    tiles = []
    for row in shown:
        status = row["light"]
        counts = " ".join(
            f'<span class="wall-count" style="--c:{theme.color(s)}">{theme.icon(s)}{_e(short[s])} {int(row[s])}</span>'
            for s in ("red", "yellow", "green", "unknown") if s != "unknown" or row[s])
        tiles.append(
            f'<div class="wall-unit" data-testid="wall-unit" data-unit="{_e(row["unit_code"])}" '
            f'data-status="{status}" style="--c:{theme.color(status)};--on:{theme.ON_COLORS[status]}">'
            f'<div class="wall-unit-top"><span class="wall-unit-name">{_e(name(row))}</span>'
            f'<span class="wall-unit-light">{theme.icon(status)} {_e(labels[status])}</span></div>'
            f'<div class="wall-unit-counts">{counts}</div>'
            f'<div class="wall-unit-rate">{_e(rate_label)} {_e(fmt_rate(row.get("on_time_rate")))}</div></div>')
    if len(rows) > len(shown):
        tiles.append(f'<div class="wall-unit wall-more">{_e(more_text(len(rows) - len(shown)))}</div>')
    return (f'<div class="wall-panel wall-grid-panel"><div class="wall-panel-title">{_e(heading)}</div>'
            f'<div class="wall-grid" data-testid="wall-grid">{"".join(tiles)}</div></div>')


def newly_red_html(items: pd.DataFrame, heading: str, empty_text: str, line: Callable[[dict], tuple[str, str]]) -> str:
    """`line(row)` gives (title, detail) for one item."""
    rows = items.head(NEWLY_RED_ROWS).to_dict("records")
    if not rows:
        body = f'<div class="wall-empty">{_e(empty_text)}</div>'
    else:
        body = "".join(
            f'<div class="wall-red-item" data-testid="wall-newly-red-item" data-item="{_e(r["item_id"])}">'
            f'<div class="wall-red-title">{theme.icon("red")} {_e(title)}</div>'
            f'<div class="wall-red-detail">{_e(detail)}</div></div>'
            for r in rows for title, detail in [line(r)])
    extra = ""
    if len(items) > NEWLY_RED_ROWS:
        extra = f'<div class="wall-red-more">+{len(items) - NEWLY_RED_ROWS}</div>'
    return (f'<div class="wall-panel wall-red-panel" data-testid="wall-newly-red" data-count="{len(items)}">'
            f'<div class="wall-panel-title">{_e(heading)} <span class="wall-red-n">{len(items)}</span></div>'
            f'{body}{extra}</div>')


def wall_css() -> str:
    bg, panel, text, muted = theme.WALL_BG, theme.WALL_PANEL, theme.WALL_TEXT, theme.WALL_MUTED
    return f"""<style>
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
#MainMenu, footer {{ display: none !important; }}
html, body, .stApp, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"] {{
  background: {bg} !important; color: {text}; }}
[data-testid="stMainBlockContainer"], .block-container {{
  padding: 14px 22px 0 22px !important; max-width: 100% !important; }}
[data-testid="stMain"] [data-testid="stVerticalBlock"] {{ gap: 12px !important; }}
[data-testid="stMain"] [data-testid="stHorizontalBlock"] {{ gap: 12px !important; }}
/* a refresh must not dim the board while the fragment reruns */
[data-stale="true"], .stale-element {{ opacity: 1 !important; transition: none !important; }}
/* The board is laid out for 1920×1080 and scaled as a whole on larger screens. A transform, not `zoom`:
   plotly measures its container, and a transform leaves the measured layout size unchanged. */
@media (min-width: 2500px) and (min-height: 1400px) {{
  [data-testid="stMainBlockContainer"] {{ width: 1920px !important; margin: 0 !important;
    transform: scale(1.3333); transform-origin: 0 0; }} }}
@media (min-width: 3800px) and (min-height: 2100px) {{
  [data-testid="stMainBlockContainer"] {{ transform: scale(2); }} }}
.wall-header {{ display:flex; justify-content:space-between; align-items:center; height:58px; }}
.wall-title {{ font-size:32px; font-weight:800; letter-spacing:1px; color:{text}; }}
.wall-board {{ margin-left:22px; padding:4px 16px; border-radius:8px; background:{panel}; color:#fde68a;
  font-size:26px; font-weight:700; }}
.wall-clock {{ display:flex; align-items:baseline; gap:16px; }}
.wall-time {{ font-size:44px; font-weight:800; font-variant-numeric:tabular-nums; }}
.wall-day {{ font-size:22px; color:{muted}; }}
.wall-sources {{ display:flex; flex-wrap:nowrap; gap:22px; font-size:18px; color:{muted}; height:28px;
  overflow:hidden; white-space:nowrap; align-items:center; }}
.wall-src-label {{ color:{muted}; }}
.wall-src {{ color:#cbd5e1; }}
.wall-src-bad {{ color:#fca5a5; font-weight:700; }}
.wall-kpis {{ display:grid; grid-template-columns:repeat(5, 1fr); gap:14px; height:118px; }}
.wall-kpi {{ background:{panel}; border-radius:12px; border-left:12px solid var(--c); padding:8px 20px;
  display:flex; flex-direction:column; justify-content:center; }}
.wall-kpi-label {{ font-size:24px; color:var(--c); font-weight:700; }}
.wall-kpi-value {{ font-size:60px; font-weight:800; line-height:1.05; font-variant-numeric:tabular-nums; color:{text}; }}
.wall-panel {{ background:{panel}; border-radius:12px; padding:12px 16px; height:486px; overflow:hidden;
  box-sizing:border-box; }}
.wall-panel-title {{ font-size:24px; font-weight:700; margin-bottom:10px; color:{text}; }}
.wall-grid {{ display:grid; grid-template-columns:repeat({GRID_COLUMNS}, 1fr); grid-auto-rows:100px; gap:10px; }}
.wall-unit {{ border-radius:10px; background:#0f172a; border:3px solid var(--c); padding:6px 12px;
  display:flex; flex-direction:column; justify-content:space-between; overflow:hidden; }}
.wall-unit-top {{ display:flex; justify-content:space-between; align-items:center; gap:8px; }}
.wall-unit-name {{ font-size:22px; font-weight:700; white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }}
.wall-unit-light {{ background:var(--c); color:var(--on); border-radius:8px; padding:1px 10px; font-size:18px;
  font-weight:800; white-space:nowrap; }}
.wall-unit-counts {{ display:flex; gap:14px; font-size:20px; font-variant-numeric:tabular-nums; }}
.wall-count {{ color:var(--c); font-weight:700; white-space:nowrap; }}
.wall-unit-rate {{ font-size:16px; color:{muted}; }}
.wall-more {{ border-style:dashed; border-color:{muted}; color:{muted}; font-size:20px; justify-content:center;
  align-items:center; }}
.wall-red-n {{ background:{theme.COLORS["red"]}; color:#fff; border-radius:10px; padding:0 12px; margin-left:8px; }}
.wall-red-item {{ border-bottom:1px solid #24324a; padding:7px 0; }}
.wall-red-title {{ font-size:21px; font-weight:700; white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }}
.wall-red-detail {{ font-size:17px; color:{muted}; white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }}
.wall-red-more {{ font-size:18px; color:{muted}; padding-top:6px; }}
.wall-empty {{ font-size:22px; color:{muted}; padding-top:30px; text-align:center; }}
.wall-nodata {{ font-size:34px; color:{text}; padding:200px 80px; text-align:center; line-height:1.6; }}
</style>"""
