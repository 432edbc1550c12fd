"""Unit page: one unit's subtree — its light, sub-units, people, overdue items and trend — each a way further down."""
from __future__ import annotations

from datetime import timedelta

import streamlit as st

from dashboard import charts, clock, components, i18n, queries, session, theme
from dashboard.i18n import t

viewer = session.viewer()
scope = session.scope(viewer)
components.ensure_data()
components.scope_or_stop(scope)
labels = {s: i18n.status_label(s) for s in theme.STATUSES}

tree = queries.unit_tree(scope)
options = components.unit_options(tree)
components.seed("unit_pick", "unit", default=next(iter(options), None))
if st.session_state["unit_pick"] not in options:
    components.base_css()
    components.not_in_scope("unit")
unit = st.session_state["unit_pick"]
row = tree[tree["unit_code"] == unit].iloc[0].to_dict()

components.data_header(i18n.unit_name(row))
st.selectbox(t("unit"), options=list(options), format_func=options.get, key="unit_pick")
components.sync_url({"unit": unit})

# Breadcrumb: the unit's ancestors that lie inside the viewer's scope.
crumbs = [code for code in row["path"].strip("/").split("/") if code in options and code != unit]
if crumbs:
    cols = st.columns(len(crumbs) + 1)
    for col, code in zip(cols, crumbs):
        with col:
            components.page_link("unit", options[code].strip("\u3000") + " ›", unit=code)

components.kpi_tiles(queries.status_totals(scope, unit=unit))
st.html(f'<div>{t("light")}：{components.badge_html(row["light"], testid="unit-light")} · '
        f'{t("on_time_rate")} {components.fmt_rate(row["on_time_rate"])}</div>')

children = tree[tree["parent_code"] == unit]
children = children.assign(label=[i18n.unit_name(r) for r in children.to_dict("records")])
left, right = st.columns([3, 2])
with left:
    st.subheader(t("children"))
    if children.empty:
        st.caption("—")
    else:
        st.caption(t("click_chart_hint"))
        event = st.plotly_chart(charts.unit_bars_figure(children, labels), key="unit_children", on_select="rerun",
                                selection_mode="points", config={"displayModeBar": False})
        for point in components.chart_points(event):
            components.goto("worklist", unit=point["customdata"][0], status=point["customdata"][1])
        picked = st.dataframe(
            children.assign(**{t("light"): [components.status_text(s) for s in children["light"]],
                               t("unit"): children["label"]})[[t("unit"), t("light"), "red", "yellow", "green",
                                                                "unknown", "exempted"]]
            .rename(columns={s: i18n.status_label(s) for s in theme.STATUSES}),
            key="unit_children_table", on_select="rerun", selection_mode="single-row", hide_index=True,
            width="stretch")
        picked_row = components.selected_row(picked)
        if picked_row is not None:
            components.goto("unit", unit=children.iloc[picked_row]["unit_code"])
with right:
    st.subheader(t("trend_status"))
    trend = queries.status_trend(scope, since=(clock.now() - timedelta(days=29)).date(), unit=unit)
    event = st.plotly_chart(charts.status_trend_figure(trend, labels, height=320), key="unit_trend",
                            on_select="rerun", selection_mode="points", config={"displayModeBar": False})
    for point in components.chart_points(event):
        components.goto("worklist", unit=unit, day=str(point["x"])[:10], status=point["customdata"][0])

st.subheader(t("persons"))
people = queries.person_rollup(scope, unit=unit)
if people.empty:
    st.caption("—")
else:
    shown = people.assign(**{
        t("light"): [components.status_text(s) for s in people["light"]],
        t("person"): [components.person_label(n, viewer.mask_names) for n in people["person_name"]],
        t("unit"): [i18n.unit_name(r, prefix="unit_") for r in people.to_dict("records")],
        t("job_category"): [i18n.job_label(j) for j in people["job_category"]],
        t("overdue_days"): people["max_overdue_days"],
    })
    columns = [t("person"), t("light"), t("unit"), t("job_category"), "red", "yellow", "green", "unknown",
               "exempted", t("overdue_days")]
    colours = [f"background-color:{theme.color(s)};color:{theme.ON_COLORS[s]}" for s in people["light"]]
    styled = shown[columns].rename(columns={s: i18n.status_label(s) for s in theme.STATUSES}).style.apply(
        lambda _: colours, subset=[t("light")], axis=0)
    event = st.dataframe(styled, key="unit_people", on_select="rerun", selection_mode="single-row",
                         hide_index=True, width="stretch", height=min(36 * len(people) + 40, 420))
    picked_row = components.selected_row(event)
    if picked_row is not None:
        components.goto("person", person=people.iloc[picked_row]["person_id"])

st.subheader(t("overdue_items"))
overdue = queries.worklist(scope, queries.Worklist(unit=unit, statuses=("red",), open_only=True), limit=20)
if overdue.empty:
    st.caption(t("rows_none"))
else:
    picked = components.items_table(overdue, key="unit_overdue", masked=viewer.mask_names)
    if picked:
        components.goto("item", kind=picked[0], item=picked[1])
components.page_link("worklist", t("all_in_worklist"), icon=":material/list_alt:", unit=unit, status="red",
                     open="1")
