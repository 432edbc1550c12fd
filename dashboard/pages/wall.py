"""Wall screen: totals, units worst first, newly red, 30-day trend and on-time ranking; refreshes and rotates itself."""
from __future__ import annotations

from datetime import timedelta

import streamlit as st

from dashboard import boards, clock, components, db, i18n, queries, session, settings, theme
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
# Rerun often enough to rotate on time; the data itself is shared between screens through the query cache.
run_every = min(refresh_s, rotate_s) if rotate_s > 0 else refresh_s


def board_title(board: boards.Board, tree) -> str:
    if board.key.startswith("unit:"):
        row = tree[tree["unit_code"] == board.unit]
        return i18n.unit_name(row.iloc[0].to_dict()) if not row.empty else board.unit
    return t(f"board_{board.key}")


def message(now, text: str) -> None:
    st.html(f'<div class="wall">{boards.header_html(t("wall_title"), "", now, i18n.lang(), "none")}'
            f'<div class="wall-nodata" data-testid="wall-no-data">{text}</div></div>')


def render() -> None:
    now = clock.now()
    labels = {s: i18n.status_label(s) for s in theme.STATUSES}
    try:
        tree = queries.unit_tree(scope, unit=root)
        states = components.source_states(now)
    except db.NotPrepared:
        message(now, t("not_prepared"))
        return
    except db.NoData:
        message(now, t("no_data"))
        return
    if tree.empty:
        message(now, t("no_scope") if not root else t("not_in_scope", what=t("what_unit")))
        return
    board = boards.pick_board(boards.boards(tree, root), requested_board, now, rotate_s)
    board_tree = tree if board.kind is None else queries.unit_tree(scope, unit=root, kind=board.kind)
    totals = queries.status_totals(scope, unit=board.unit, kind=board.kind)
    trend = queries.status_trend(scope, since=(now - timedelta(days=29)).date(), unit=board.unit, kind=board.kind)
    newly = queries.newly_red(scope, unit=board.unit, kind=board.kind, limit=boards.NEWLY_RED_ROWS)
    grid = boards.grid_units(board_tree, board)
    grid = grid.assign(label=[i18n.unit_name(r) for r in grid.to_dict("records")])

    def red_line(row: dict) -> tuple[str, str]:
        who = components.person_label(row.get("person_name"), masked)
        overdue = row.get("wd_remaining")
        late = t("overdue_n", n=abs(float(overdue))) if overdue is not None and overdue == overdue else ""
        unit = i18n.unit_name(row, prefix="unit_")
        return i18n.item_title(row) or row["item_id"], " · ".join(
            p for p in (i18n.kind_label(row["kind"]), unit, who, late) if p)

    sentences = [(components.source_sentence(s, states), s.is_problem) for s in states if s.kind != "lights"]
    st.html(boards.board_html(
        header=boards.header_html(t("wall_title"), board_title(board, tree), now, i18n.lang(), board.key),
        sources=boards.sources_html(t("data_as_of"), sentences),
        kpis=boards.kpi_html(totals, labels),
        grid=boards.unit_grid_html(
            grid, name=lambda r: r["label"], labels=labels, short={s: i18n.status_short(s) for s in labels},
            heading=t("units_heading"), more_text=lambda n: t("more_units", n=n)),
        newly=boards.newly_red_html(newly, t("newly_red"), t("newly_red_none"), red_line),
        trend_title=t("trend_red"), trend=boards.trend_svg(trend, "red", t("trend_red")),
        ranking_title=t("ranking"),
        ranking=boards.ranking_svg(grid, name=lambda r: r["label"], fmt_rate=components.fmt_rate,
                                   title=t("ranking")),
    ))


st.fragment(render, run_every=run_every)()
