"""Overview: the viewer's whole scope at a glance, each chart and row a way down to the units and items behind it."""
from __future__ import annotations

from datetime import timedelta

import streamlit as st

from dashboard import boards, charts, clock, components, i18n, queries, session, theme
from dashboard.i18n import t

viewer = session.viewer()
scope = session.scope(viewer)
components.data_header(t("nav_overview"))
components.scope_or_stop(scope)
labels = {s: i18n.status_label(s) for s in theme.STATUSES}

components.kpi_tiles(queries.status_totals(scope))
components.legend()

tree = queries.unit_tree(scope)
tree = tree.assign(label=[i18n.unit_name(r) for r in tree.to_dict("records")])
top = boards.top_units(tree)

left, right = st.columns([3, 2])
with left:
    st.subheader(t("units_heading"))
    st.caption(t("click_chart_hint"))
    event = st.plotly_chart(charts.unit_bars_figure(top, labels), key="overview_units", on_select="rerun",
                            selection_mode="points", config={"displayModeBar": False})
    for point in components.chart_points(event):
        unit_code, status = point["customdata"][0], point["customdata"][1]
        components.goto("worklist", unit=unit_code, status=status)
with right:
    st.subheader(t("trend_status"))
    since = (clock.now() - timedelta(days=29)).date()
    trend = queries.status_trend(scope, since=since)
    event = st.plotly_chart(charts.status_trend_figure(trend, labels, height=320), key="overview_trend",
                            on_select="rerun", selection_mode="points", config={"displayModeBar": False})
    for point in components.chart_points(event):
        components.goto("worklist", day=str(point["x"])[:10], status=point["customdata"][0])

st.subheader(t("unit_tree"))
st.caption(t("select_row_hint"))
indent = tree["level"] - tree["level"].min()
table = tree.assign(
    **{t("light"): [components.status_text(s) for s in tree["light"]],
       t("unit"): ["\u3000" * int(n) + ("└ " if n else "") + name for n, name in zip(indent, tree["label"])],
       t("red_n"): tree["red"], t("yellow_n"): tree["yellow"], t("green_n"): tree["green"],
       t("unknown_n"): tree["unknown"], t("exempted_n"): tree["exempted"],
       t("on_time_rate"): [components.fmt_rate(r) for r in tree["on_time_rate"]]})
columns = [t("unit"), t("light"), t("red_n"), t("yellow_n"), t("green_n"), t("unknown_n"), t("exempted_n"),
           t("on_time_rate")]
colours = [f"background-color:{theme.color(s)};color:{theme.ON_COLORS[s]}" for s in tree["light"]]
styled = table[columns].style.apply(lambda _: colours, subset=[t("light")], axis=0)
event = st.dataframe(styled, key="overview_tree", on_select="rerun", selection_mode="single-row", hide_index=True,
                     height=min(38 * len(tree) + 40, 560), width="stretch")
row = components.selected_row(event)
if row is not None:
    components.goto("unit", unit=tree.iloc[row]["unit_code"])

st.subheader(t("newly_red"))
newly = queries.newly_red(scope, limit=200)
if newly.empty:
    st.caption(t("newly_red_none"))
else:
    total = int(newly["total"].iloc[0])
    if total > len(newly):
        st.caption(t("newly_red_more", shown=len(newly), total=total))
    rows = newly.assign(status="red", overdue_days=(-newly["wd_remaining"]).clip(lower=0))
    picked = components.items_table(rows, key="overview_newly_red", masked=viewer.mask_names)
    if picked:
        components.goto("item", kind=picked[0], item=picked[1])
