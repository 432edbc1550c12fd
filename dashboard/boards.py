"""Wall-screen boards: which boards a scope rotates through, which one shows now, and the board as one HTML block.

The board is laid out on a 1920×1080 grid of units `--u` that follow the screen (one unit is one CSS pixel on a
1080p screen, two on a 4K screen), so it fills any wall without scrolling. For the same reason its two small
charts are drawn here as SVG images rather than with plotly: plotly measures its container in pixels and does
not follow a scaled board, while an SVG scales with it exactly. (Images, because st.html keeps no inline SVG.)
"""
from __future__ import annotations

import base64
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
                   short: Mapping[str, str], heading: str, more_text: Callable[[int], str]) -> str:
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
            f'<div class="wall-unit-counts">{counts}</div></div>')
    if len(rows) > len(shown):
        tiles.append(f'<div class="wall-unit wall-more">{_e(more_text(len(rows) - len(shown)))}</div>')
    return (f'<div class="wall-panel wall-grid-panel"><div class="wall-panel-title">{_e(heading)}</div>'
            f'<div class="wall-grid" data-testid="wall-grid">{"".join(tiles)}</div></div>')


def newly_red_html(items: pd.DataFrame, heading: str, empty_text: str, line: Callable[[dict], tuple[str, str]]) -> str:
    """`line(row)` gives (title, detail) for one item."""
    rows = items.head(NEWLY_RED_ROWS).to_dict("records")
    total = int(items["total"].iloc[0]) if len(items) and "total" in items else len(items)
    if not rows:
        body = f'<div class="wall-empty">{_e(empty_text)}</div>'
    else:
        body = "".join(
            f'<div class="wall-red-item" data-testid="wall-newly-red-item" data-item="{_e(r["item_id"])}">'
            f'<div class="wall-red-title">{theme.icon("red")} {_e(title)}</div>'
            f'<div class="wall-red-detail">{_e(detail)}</div></div>'
            for r in rows for title, detail in [line(r)])
    extra = ""
    if total > len(rows):
        extra = f'<div class="wall-red-more">+{total - len(rows)}</div>'
    return (f'<div class="wall-panel wall-red-panel" data-testid="wall-newly-red" data-count="{total}">'
            f'<div class="wall-panel-title">{_e(heading)} <span class="wall-red-n">{total}</span></div>'
            f'{body}{extra}</div>')


SVG_STYLE = (f"<style>text {{ font-family: {theme.FONT}; }} .wall-svg-grid {{ stroke: {theme.WALL_GRID}; "
             f"stroke-width: 1; }} .wall-svg-tick {{ fill: {theme.WALL_MUTED}; font-size: 21px; }} "
             f".wall-svg-label {{ fill: {theme.WALL_TEXT}; font-size: 24px; font-weight: 600; }}</style>")


def _svg_image(svg: str, title: str, testid: str, value: object) -> str:
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (f'<img class="wall-svg" alt="{_e(title)}" data-testid="{testid}" data-value="{_e(value)}" '
            f'src="data:image/svg+xml;base64,{data}"/>')


def trend_svg(trend: pd.DataFrame, status: str = "red", title: str = "") -> str:
    """Daily counts of one status as a filled line with a few day labels; scales with its box."""
    width, height, left, bottom, top = 900.0, 230.0, 52.0, 34.0, 14.0
    days = list(trend["day"]) if not trend.empty else []
    values = [int(v) for v in trend[status]] if not trend.empty else []
    peak = max(values + [1])
    span_x = width - left - 16
    span_y = height - bottom - top

    def x(i: int) -> float:
        return left + (span_x * i / max(len(values) - 1, 1))

    def y(v: float) -> float:
        return top + span_y * (1 - v / peak)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}">{SVG_STYLE}']
    for tick in sorted({0, peak // 2, peak}):
        parts.append(f'<line x1="{left}" x2="{width - 16}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" class="wall-svg-grid"/>'
                     f'<text x="{left - 10}" y="{y(tick) + 7:.1f}" text-anchor="end" class="wall-svg-tick">{tick}</text>')
    if values:
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        colour = theme.color(status)
        parts.append(f'<polygon points="{x(0):.1f},{y(0):.1f} {points} {x(len(values) - 1):.1f},{y(0):.1f}" '
                     f'fill="{colour}" fill-opacity="0.18"/>')
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="4" '
                     f'stroke-linejoin="round"/>')
        parts.append(f'<circle cx="{x(len(values) - 1):.1f}" cy="{y(values[-1]):.1f}" r="7" fill="{colour}"/>')
        step = max(1, round(len(days) / 5))
        for i in range(0, len(days), step):
            label = pd.Timestamp(days[i]).strftime("%m-%d")
            parts.append(f'<text x="{x(i):.1f}" y="{height - 8}" text-anchor="middle" class="wall-svg-tick">{label}</text>')
    parts.append("</svg>")
    return _svg_image("".join(parts), title, "wall-trend", values[-1] if values else "")


def ranking_svg(units: pd.DataFrame, name: Callable[[dict], str], fmt_rate: Callable[[object], str],
                limit: int = 8, title: str = "") -> str:
    """Units by on-time rate, best first, bars in each unit's light; units without due items are left out."""
    rows = (units.dropna(subset=["on_time_rate"])
            .sort_values(["on_time_rate", "due_count"], ascending=[False, False]).head(limit).to_dict("records"))
    width, height, label_w, value_w = 900.0, 230.0, 250.0, 90.0
    # few units get thick bars, many get thinner ones; the box keeps its size
    row_h = height / max(len(rows), 5)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}">{SVG_STYLE}']
    for i, row in enumerate(rows):
        top = i * row_h
        bar = (width - label_w - value_w) * float(row["on_time_rate"])
        label = name(row)
        label = label if len(label) <= 9 else label[:8] + "…"
        parts.append(
            f'<text x="{label_w - 12}" y="{top + row_h * 0.68:.1f}" text-anchor="end" class="wall-svg-label">'
            f'{_e(label)}</text>'
            f'<rect x="{label_w}" y="{top + row_h * 0.14:.1f}" width="{max(bar, 2):.1f}" height="{row_h * 0.72:.1f}" '
            f'rx="4" fill="{theme.color(row["light"])}"/>'
            f'<text x="{label_w + bar + 10:.1f}" y="{top + row_h * 0.68:.1f}" class="wall-svg-label">'
            f'{_e(fmt_rate(row["on_time_rate"]))}</text>')
    parts.append("</svg>")
    return _svg_image("".join(parts), title, "wall-ranking", len(rows))


def board_html(header: str, sources: str, kpis: str, grid: str, newly: str, trend_title: str, trend: str,
               ranking_title: str, ranking: str) -> str:
    return (f'<div class="wall" data-testid="wall-root">{header}{sources}{kpis}'
            f'<div class="wall-main">{grid}{newly}</div>'
            f'<div class="wall-bottom"><div class="wall-panel wall-chart"><div class="wall-panel-title">'
            f'{_e(trend_title)}</div>{trend}</div><div class="wall-panel wall-chart"><div class="wall-panel-title">'
            f'{_e(ranking_title)}</div>{ranking}</div></div></div>')


def wall_css() -> str:
    bg, panel, text, muted = theme.WALL_BG, theme.WALL_PANEL, theme.WALL_TEXT, theme.WALL_MUTED

    def u(n: float) -> str:
        return f"calc(var(--u) * {n:g})"

    return f"""<style>
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
#MainMenu, footer {{ display: none !important; }}
html, body, .stApp, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"] {{
  background: {bg} !important; color: {text}; }}
[data-testid="stMainBlockContainer"], .block-container {{ padding: 0 !important; max-width: 100% !important; }}
[data-testid="stMain"] [data-testid="stVerticalBlock"] {{ gap: 0 !important; }}
/* a refresh must not dim the board while the fragment reruns */
[data-stale="true"], .stale-element {{ opacity: 1 !important; transition: none !important; }}
.wall {{ --u: min(calc(100vh / 1080), calc(100vw / 1920)); box-sizing: border-box; height: 100vh;
  padding: {u(14)} {u(22)}; display: flex; flex-direction: column; gap: {u(12)}; overflow: hidden;
  font-size: {u(20)}; color: {text}; }}
.wall-header {{ display:flex; justify-content:space-between; align-items:center; height:{u(58)}; flex: none; }}
.wall-title {{ font-size:{u(34)}; font-weight:800; letter-spacing:{u(1)}; }}
.wall-board {{ margin-left:{u(22)}; padding:{u(4)} {u(16)}; border-radius:{u(8)}; background:{panel}; color:#fde68a;
  font-size:{u(28)}; font-weight:700; }}
.wall-clock {{ display:flex; align-items:baseline; gap:{u(16)}; }}
.wall-time {{ font-size:{u(46)}; font-weight:800; font-variant-numeric:tabular-nums; }}
.wall-day {{ font-size:{u(22)}; color:{muted}; }}
.wall-sources {{ display:flex; flex-wrap:nowrap; gap:{u(22)}; font-size:{u(19)}; color:{muted}; height:{u(28)};
  overflow:hidden; white-space:nowrap; align-items:center; flex: none; }}
.wall-src {{ color:#cbd5e1; }}
.wall-src-bad {{ color:#fca5a5; font-weight:700; }}
.wall-kpis {{ display:grid; grid-template-columns:repeat(5, 1fr); gap:{u(14)}; height:{u(118)}; flex: none; }}
.wall-kpi {{ background:{panel}; border-radius:{u(12)}; border-left:{u(12)} solid var(--c); padding:{u(8)} {u(20)};
  display:flex; flex-direction:column; justify-content:center; }}
.wall-kpi-label {{ font-size:{u(26)}; color:var(--c); font-weight:700; }}
.wall-kpi-value {{ font-size:{u(62)}; font-weight:800; line-height:1.05; font-variant-numeric:tabular-nums; }}
.wall-main {{ display:grid; grid-template-columns: 62fr 38fr; gap:{u(12)}; flex: 1 1 0; min-height: 0; }}
.wall-bottom {{ display:grid; grid-template-columns: 1fr 1fr; gap:{u(12)}; height:{u(300)}; flex: none; }}
.wall-panel {{ background:{panel}; border-radius:{u(12)}; padding:{u(12)} {u(16)}; overflow:hidden;
  box-sizing:border-box; min-height: 0; display:flex; flex-direction:column; }}
.wall-panel-title {{ font-size:{u(25)}; font-weight:700; margin-bottom:{u(10)}; flex: none; }}
.wall-grid {{ display:grid; grid-template-columns:repeat({GRID_COLUMNS}, 1fr);
  grid-template-rows:repeat({GRID_ROWS}, 1fr); gap:{u(10)}; flex: 1 1 0; min-height: 0; }}
.wall-unit {{ border-radius:{u(10)}; background:#0f172a; border:{u(3)} solid var(--c); padding:{u(6)} {u(12)};
  display:flex; flex-direction:column; justify-content:space-between; overflow:hidden; min-height: 0; }}
.wall-unit-top {{ display:flex; justify-content:space-between; align-items:center; gap:{u(8)}; }}
.wall-unit-name {{ font-size:{u(23)}; font-weight:700; white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }}
.wall-unit-light {{ background:var(--c); color:var(--on); border-radius:{u(8)}; padding:{u(1)} {u(10)};
  font-size:{u(19)}; font-weight:800; white-space:nowrap; }}
.wall-unit-counts {{ display:flex; gap:{u(14)}; font-size:{u(21)}; font-variant-numeric:tabular-nums; }}
.wall-count {{ color:var(--c); font-weight:700; white-space:nowrap; }}
.wall-unit-rate {{ font-size:{u(17)}; color:{muted}; }}
.wall-more {{ border-style:dashed; border-color:{muted}; color:{muted}; font-size:{u(20)}; justify-content:center;
  align-items:center; }}
.wall-red-n {{ background:{theme.COLORS["red"]}; color:#fff; border-radius:{u(10)}; padding:0 {u(12)};
  margin-left:{u(8)}; }}
.wall-red-item {{ border-bottom:{u(1)} solid #24324a; padding:{u(7)} 0; }}
.wall-red-title {{ font-size:{u(22)}; font-weight:700; white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }}
.wall-red-detail {{ font-size:{u(18)}; color:{muted}; white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }}
.wall-red-more {{ font-size:{u(18)}; color:{muted}; padding-top:{u(6)}; }}
.wall-empty {{ font-size:{u(22)}; color:{muted}; padding-top:{u(30)}; text-align:center; }}
.wall-chart .wall-svg {{ flex: 1 1 0; min-height: 0; width: 100%; object-fit: contain; }}
.wall-nodata {{ font-size:{u(34)}; padding:{u(200)} {u(80)}; text-align:center; line-height:1.6; }}
</style>"""
