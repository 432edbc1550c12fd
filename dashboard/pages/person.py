"""Person page: one person's lights, their items worst first, and their trend."""
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

person_id = st.query_params.get("person") or scope.person
person = queries.person_detail(scope, person_id) if person_id else None
if person is None:
    components.base_css()
    components.not_in_scope("person")

name = components.person_label(person["name"], viewer.mask_names)
components.data_header(name)
st.caption(f'{i18n.unit_name(person, prefix="unit_")} · {i18n.job_label(person["job_category"])} · {person_id}')
components.page_link("unit", i18n.unit_name(person, prefix="unit_") + " ›", unit=person["unit_code"])

rollup = queries.person_rollup(scope, unit=person["unit_code"])
mine = rollup[rollup["person_id"] == person_id]
totals = mine.iloc[0].to_dict() if not mine.empty else {}
components.kpi_tiles({s: int(totals.get(s, 0)) for s in theme.STATUSES})
if totals:
    st.html(f'<div>{t("light")}：{components.badge_html(totals["light"], testid="person-light")}</div>')

st.subheader(t("person_items"))
filters = queries.Worklist(person=person_id, sort="status")
listing = queries.worklist_page(scope, filters, limit=200)
items = listing.rows
if items.empty:
    st.caption(t("rows_none"))
else:
    picked = components.items_table(items, key="person_items", masked=viewer.mask_names)
    if picked:
        components.goto("item", kind=picked[0], item=picked[1])
    if listing.total > len(items):
        components.page_link("worklist", t("all_in_worklist"), icon=":material/list_alt:", person=person_id)

st.subheader(t("trend_status"))
# A person's trend reads every history day of every item (no roll-up exists per person): drawn on request.
components.seed("person_trend", "trend", parse=lambda v: v == "1", default=False)
if st.toggle(t("show_trend"), key="person_trend"):
    trend = queries.status_trend(scope, since=(clock.now() - timedelta(days=29)).date(), person=person_id)
    event = st.plotly_chart(charts.status_trend_figure(trend, labels, height=300), key="person_trend_chart",
                            on_select="rerun", selection_mode="points", config={"displayModeBar": False})
    for point in components.chart_points(event):
        components.goto("worklist", person=person_id, day=str(point["x"])[:10], status=point["customdata"][0])
components.sync_url({"person": person_id, "trend": "1" if st.session_state["person_trend"] else None})
