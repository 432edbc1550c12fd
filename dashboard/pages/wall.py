"""Wall screen: totals, units worst first, newly red, 30-day trend and on-time ranking; refreshes and rotates itself."""
from __future__ import annotations

from datetime import timedelta

import streamlit as st

from dashboard import boards, charts, clock, components, db, i18n, queries, session, settings
from dashboard.i18n import t

st.html(boards.wall_css())
viewer = session.viewer()
scope = session.scope(viewer)
masked = (viewer.mask_names or st.query_params.get("mask") == "1"
          or settings.get("XIAONENG_WALL_MASK_NAMES") == "1")
root = st.query_params.get("unit") or None
requested_board = st.query_params.get("board") or None
refresh_s = float(settings.get("XIAONENG_WALL_REFRESH_S"))
rotate_s = float(settings.get("XIAONENG_WALL_ROTATE_S"))
# Rerun often enough to rotate on time; the data itself is shared through the query cache.
run_every = min(refresh_s, rotate_s) if rotate_s > 0 else refresh_s
# The board is laid out for 1920×1080 CSS pixels (and scaled on bigger screens), so the charts get fixed sizes.
CHART_WIDTH = 932
CHART_HEIGHT = 330


def board_title(board: boards.Board, tree) -> str:
    if board.key.startswith("unit:"):
        row = tree[tree["unit_code"] == board.unit]
        return i18n.unit_name(row.iloc[0].to_dict()) if not row.empty else board.unit
    return t(f"board_{board.key}")


def render() -> None:
    now = clock.now()
    lang = i18n.lang()
    labels = {s: i18n.status_label(s) for s in ("red", "yellow", "green", "unknown", "exempted")}
    try:
        tree = queries.unit_tree(scope, unit=root)
        states = components.source_states(now)
    except db.NoData:
        st.html(boards.header_html(t("wall_title"), "", now, lang, "none")
                + f'<div class="wall-nodata" data-testid="wall-no-data">{t("no_data")}</div>')
        return
    if tree.empty:
        st.html(boards.header_html(t("wall_title"), "", now, lang, "none")
                + f'<div class="wall-nodata" data-testid="wall-no-data">{t("no_scope")}</div>')
        return
    board = boards.pick_board(boards.boards(tree, root), requested_board, now, rotate_s)
    board_tree = tree if board.kind is None else queries.unit_tree(scope, unit=root, kind=board.kind)
    totals = queries.status_totals(scope, unit=board.unit, kind=board.kind)
    trend = queries.status_trend(scope, since=(now - timedelta(days=29)).date(), unit=board.unit, kind=board.kind)
    newly = queries.newly_red(scope, unit=board.unit, kind=board.kind, limit=50)
    grid = boards.grid_units(board_tree, board)
    grid = grid.assign(label=[i18n.unit_name(r) for r in grid.to_dict("records")])

    sentences = [(components.source_sentence(s, states), s.is_problem) for s in states if s.kind != "lights"]
    st.html(boards.header_html(t("wall_title"), board_title(board, tree), now, lang, board.key)
            + boards.sources_html(t("data_as_of"), sentences)
            + boards.kpi_html(totals, labels))

    def red_line(row: dict) -> tuple[str, str]:
        who = components.person_label(row.get("person_name"), masked)
        overdue = row.get("wd_remaining")
        late = t("overdue_n", n=abs(float(overdue))) if overdue is not None and overdue == overdue else ""
        unit = i18n.unit_name(row, prefix="unit_")
        return row.get("title") or row["item_id"], " · ".join(
            p for p in (i18n.kind_label(row["kind"]), unit, who, late) if p)

    left, right = st.columns([62, 38])
    with left:
        st.html(boards.unit_grid_html(
            grid, name=lambda r: r["label"], labels=labels, short={s: i18n.status_short(s) for s in labels},
            heading=t("units_heading"), more_text=lambda n: t("more_units", n=n), rate_label=t("on_time_rate"),
            fmt_rate=components.fmt_rate))
    with right:
        st.html(boards.newly_red_html(newly, t("newly_red"), t("newly_red_none"), red_line))
    left, right = st.columns(2)
    config = {"displayModeBar": False, "staticPlot": True}
    with left:
        st.plotly_chart(charts.status_trend_figure(trend, labels, statuses=("red",), title=t("trend_red"),
                                                   dark=True, height=CHART_HEIGHT).update_layout(width=CHART_WIDTH),
                        key="wall_trend", config=config, theme=None, width=CHART_WIDTH, height=CHART_HEIGHT)
    with right:
        st.plotly_chart(charts.ranking_figure(grid, "label", title=t("ranking"), dark=True, height=CHART_HEIGHT,
                                              limit=8).update_layout(width=CHART_WIDTH),
                        key="wall_ranking", config=config, theme=None, width=CHART_WIDTH, height=CHART_HEIGHT)


st.fragment(render, run_every=run_every)()
