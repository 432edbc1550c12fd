"""Item page: the light and why (rule, thresholds, clock, source records), its timeline, and exemption/appeal decisions."""
from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from dashboard import appdb, charts, components, i18n, queries, session, theme
from dashboard.i18n import t

THRESHOLD_KEYS = ("limit_workdays", "yellow_unit", "yellow_value", "progress_yellow_behind", "progress_red_behind",
                  "progress_clock", "not_started_yellow_after_days", "not_started_red_after_months")

viewer = session.viewer()
scope = session.scope(viewer)
components.ensure_data()
components.scope_or_stop(scope)
labels = {s: i18n.status_label(s) for s in theme.STATUSES}

kind = st.query_params.get("kind")
item_id = st.query_params.get("item")
item = queries.item_detail(scope, kind, item_id) if kind and item_id else None
if item is None:
    components.base_css()
    components.not_in_scope("item")

components.data_header(i18n.item_title(item) or item_id)
lang_en = i18n.lang() == "en"
person_name = components.person_label(item.get("person_name"), viewer.mask_names)
st.caption(" · ".join(p for p in (i18n.kind_label(kind), item_id, i18n.category_label(item.get("category"))) if p))
cols = st.columns([2, 2, 6])
with cols[0]:
    components.page_link("unit", i18n.unit_name(item, prefix="unit_") + " ›", unit=item["unit_code"])
if item.get("person_id"):
    with cols[1]:
        components.page_link("person", (person_name or item["person_id"]) + " ›", person=item["person_id"])

reason = item.get("reason_en") if lang_en else item.get("reason_zh")
st.html(f'<div style="display:flex;gap:16px;align-items:center;font-size:1.25rem;margin:8px 0">'
        f'{components.badge_html(item["status"], testid="item-light")}'
        f'<span data-testid="item-reason">{html.escape(reason or "")}</span></div>')
if item.get("stale"):
    st.warning(t("stale_item"), icon=":material/schedule:")


def value(key: str) -> object:
    found = item.get(key)
    return None if found is None or (not isinstance(found, str) and pd.isna(found)) else found


def days(key: str) -> str:
    found = value(key)
    return "—" if found is None else f"{float(found):g}"


st.subheader(t("item_why"))
why = [
    (t("rule"), f'{item["rule_id"]} · {t("rule_version")} {item["rule_version"]} · {item["reason_code"]}'),
    (t("wd_allowed"), days("wd_allowed")),
    (t("wd_used"), days("wd_used")),
    (t("wd_remaining"), days("wd_remaining")),
    (t("started"), components.fmt_time(value("started_at"))),
    (t("effective_due"), components.fmt_time(value("due_at"))),
]
if value("original_due_at") is not None and value("original_due_at") != value("due_at"):
    why.append((t("original_due"), components.fmt_time(value("original_due_at"))))
why += [
    (t("done"), components.fmt_time(value("done_at"))),
    (t("calendar_basis"), t(f"basis_{item['calendar_basis']}") if f"basis_{item.get('calendar_basis')}" in i18n.STRINGS
     else str(value("calendar_basis") or "—")),
    (t("source"), str(value("source") or "—")),
    (t("source_record"), str(value("source_record") or "—")),
    (t("data_as_of"), components.fmt_time(value("as_of"))),
]
if item.get("raw_status") and item["raw_status"] != item["status"]:
    why.append((t("raw_status"), components.status_text(item["raw_status"])))
if value("progress_pct") is not None:
    planned = value("planned_pct")
    why.append((t("progress"), f'{float(value("progress_pct")):g}%'
                + (f' / {t("planned")} {float(planned):g}%' if planned is not None else "")))
thresholds = queries.rule_thresholds(item)
if not thresholds.empty:
    # the most specific declaration last, as the lights apply them; parameters left empty are inherited
    settings_shown = {}
    for row in thresholds.to_dict("records"):
        for key in THRESHOLD_KEYS:
            if row.get(key) is not None and not (isinstance(row[key], float) and pd.isna(row[key])):
                settings_shown[key] = row[key]
    if settings_shown:
        why.append((t("thresholds"), " · ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                                                for k, v in settings_shown.items())))
st.html('<dl class="xn-facts" data-testid="item-why">' + "".join(
    f"<dt>{html.escape(label)}</dt><dd>{html.escape(text)}</dd>" for label, text in why) + "</dl>")

st.subheader(t("timeline"))
now = pd.Timestamp(item["as_of"])
if kind in ("document", "document_step"):
    steps = queries.document_steps(scope, item_id)
    if steps.empty:
        st.caption("—")
    else:
        step_names = [f'{int(r["step_no"])}. {i18n.step_label(r["step_name"])}' for r in steps.to_dict("records")]
        gantt = pd.DataFrame({
            "label": step_names,
            "start": steps["started_at"],
            "end": steps["finished_at"].fillna(now),
            "status": steps["status"].fillna("unknown"),
            "shade": False,
            "text": [components.person_label(n, viewer.mask_names) for n in steps["person_name"]],
        })
        st.plotly_chart(charts.gantt_figure(gantt, title=t("steps"), now=now, now_label=t("now")),
                        key="item_steps", config={"displayModeBar": False})
        st.dataframe(pd.DataFrame({
            t("step"): step_names,
            t("person"): gantt["text"],
            t("unit"): [i18n.unit_name(r, prefix="unit_") for r in steps.to_dict("records")],
            t("started"): [components.fmt_time(v) for v in steps["started_at"]],
            t("finished"): [components.fmt_time(v) for v in steps["finished_at"]],
            t("limit_days"): steps["limit_days"],
            t("status"): [components.status_text(s) if isinstance(s, str) else "" for s in steps["status"]],
        }), hide_index=True, width="stretch", key="item_steps_table")
elif kind == "milestone":
    nodes = queries.milestone_nodes(scope, item_id)
    if nodes.empty:
        st.caption("—")
    else:
        rows = []
        for node in nodes.to_dict("records"):
            label = ("▶ " if node["is_this"] else "") + str(node["name"])
            start = node["planned_start"] if pd.notna(node["planned_start"]) else node["planned_date"]
            rows.append({"label": label, "start": start, "end": node["planned_date"], "status": "unknown",
                         "shade": True, "text": f'{t("planned")} {components.fmt_day(node["planned_date"])}'})
            end = node["actual_date"] if pd.notna(node["actual_date"]) else now.tz_localize(None).normalize()
            progress = "" if pd.isna(node["progress_pct"]) else f' · {float(node["progress_pct"]):g}%'
            rows.append({"label": label, "start": start, "end": end,
                         "status": node["status"] if isinstance(node["status"], str) else "unknown", "shade": False,
                         "text": f'{t("actual")} {components.fmt_day(node["actual_date"])}{progress}'})
        st.plotly_chart(charts.gantt_figure(pd.DataFrame(rows), title=t("plan_vs_actual"),
                                            now=now.tz_localize(None), now_label=t("now")),
                        key="item_milestones", config={"displayModeBar": False})
elif kind == "request":
    request = queries.request_lifecycle(scope, item_id)
    clock_rows = queries.clock_events(scope, kind, item_id)
    if request is None:
        st.caption("—")
    else:
        events = [(t("received"), request["received_at"]), (t("dispatched"), request["dispatched_at"]),
                  (t("first_response"), request["first_response_at"]), (t("closed"), request["closed_at"])]
        events += [(t("extension"), r["event_at"]) for r in clock_rows.to_dict("records") if r["event"] == "extension"]
        frame = pd.DataFrame([(label, at) for label, at in events if pd.notna(at)], columns=["label", "at"])
        suspended = clock_rows[clock_rows["event"] == "suspension"]
        spans = pd.DataFrame({"label": t("suspension"), "start": suspended["event_at"],
                              "end": suspended["until"].fillna(now)})
        due = value("due_at")
        st.plotly_chart(charts.events_figure(frame, spans, title=t("lifecycle"), due=due, due_label=t("due_line"),
                                             now=now, now_label=t("now")),
                        key="item_request", config={"displayModeBar": False})

        def shown(key: str) -> str:
            found = request.get(key)
            return "—" if found is None or (not isinstance(found, str) and pd.isna(found)) else str(found)

        satisfaction = shown("satisfaction")
        facts = {t("satisfaction"): t(f"sat_{satisfaction}") if f"sat_{satisfaction}" in i18n.STRINGS else satisfaction, t("reopened"): shown("reopened_count"),
                 t("status"): shown("status"), t("limit_days"): shown("limit_days")}
        st.caption(" · ".join(f"{k}：{v}" for k, v in facts.items()))

clock_rows = queries.clock_events(scope, kind, item_id)
if not clock_rows.empty:
    st.dataframe(pd.DataFrame({
        t("kind"): [t(e) for e in clock_rows["event"]],
        t("started"): [components.fmt_time(v) for v in clock_rows["event_at"]],
        t("finished"): [components.fmt_time(v) for v in clock_rows["until"]],
        t("new_due"): [components.fmt_time(v) for v in clock_rows["new_due_at"]],
        t("event_reason"): clock_rows["reason"],
    }), hide_index=True, width="stretch", key="item_clock")

history = queries.item_history(scope, kind, item_id)
if not history.empty:
    st.subheader(t("light_history"))
    st.plotly_chart(charts.light_history_figure(history, labels), key="item_history",
                    config={"displayModeBar": False})

changes = queries.item_changes(scope, kind, item_id)
if not changes.empty:
    st.subheader(t("changes"))
    st.dataframe(pd.DataFrame({
        t("changed_at"): [components.fmt_time(v) for v in changes["changed_at"]],
        t("before"): changes["before"], t("after"): changes["after"],
    }), hide_index=True, width="stretch", key="item_changes")

st.subheader(t("decisions"))
if st.session_state.pop("_decision_saved", False):
    st.success(t("decision_saved"), icon=":material/check_circle:")
decisions_for = getattr(appdb, "decisions_for", None)
decisions = decisions_for(kind, item_id) if decisions_for else []
if not decisions:
    st.caption(t("decision_none"))
for decision in decisions:
    revoked = decision.get("revoked_at")
    line = (f'**{t("decision_" + decision["decision_type"])}** · '
            f'{t("reason_" + decision["reason_code"]) if "reason_" + str(decision["reason_code"]) in i18n.STRINGS else decision["reason_code"]}'
            f' · {decision["decided_by"]} · {components.fmt_time(decision["decided_at"])}')
    if revoked:
        line = f'~~{line}~~ · {t("decision_revoked")} {decision.get("revoked_by") or ""} {components.fmt_time(revoked)}'
    cols = st.columns([8, 1])
    cols[0].markdown(line + (f'\n\n> {decision["note"]}' if decision.get("note") else ""))
    if viewer.can_decide and not revoked and hasattr(appdb, "revoke_decision"):
        if cols[1].button(t("decision_revoke"), key=f'revoke_{decision["decision_id"]}'):
            try:
                appdb.revoke_decision(viewer, decision["decision_id"])
            except (appdb.PermissionDenied, appdb.InvalidInput) as refused:
                st.error(str(refused))
            else:
                st.rerun()

if viewer.can_decide:
    if not hasattr(appdb, "record_decision"):
        st.caption(t("decision_unavailable"))
    else:
        with st.form("decision_form", clear_on_submit=True):
            c1, c2 = st.columns(2)
            decision_type = c1.selectbox(t("decision_type"), options=["exempted", "appeal_upheld"],
                                         format_func=lambda d: t(f"decision_{d}"), key="decision_type")
            reason_code = c2.selectbox(
                t("decision_reason"), key="decision_reason",
                options=["force_majeure", "policy_change", "honest_innovation", "data_error", "other"],
                format_func=lambda r: t(f"reason_{r}"))
            note = st.text_area(t("decision_note"), key="decision_note", max_chars=2000)
            if st.form_submit_button(t("decision_submit"), key="decision_submit", type="primary"):
                if not note.strip():
                    st.warning(t("decision_need_note"))
                else:
                    try:
                        appdb.record_decision(viewer, kind, item_id, decision_type, reason_code, note)
                    except (appdb.PermissionDenied, appdb.InvalidInput) as refused:
                        st.error(str(refused))
                    else:
                        st.session_state["_decision_saved"] = True
                        st.rerun()
