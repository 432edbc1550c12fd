"""Pipeline health: per source the last success and last error, and the rejected records grouped by reason."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import components, i18n, queries, session, theme
from dashboard.i18n import t

viewer = session.viewer()
if viewer.role not in ("admin", "leader", "supervisor"):
    st.warning(t("health_denied"), icon=":material/block:")
    st.stop()
# The run log, not the marts: this page must show why a snapshot is not prepared, not be stopped by it.
states = components.data_header(t("nav_health"), marts=False)

FRESH = {"ok": ("green", "fresh_ok"), "late": ("yellow", "fresh_late"), "failed": ("red", "fresh_failed"),
         "running": ("unknown", "state_running"), "never": ("unknown", "source_never")}
fresh = queries.source_freshness()
by_pipeline = {s.pipeline: s for s in states}

st.subheader(t("health_sources"))
rows = []
colours = []
for row in fresh.to_dict("records"):
    state = by_pipeline[row["pipeline"]]
    status, key = FRESH[state.state]
    label = t(key, source=row["pipeline"]) if key == "source_never" else t(key)
    rows.append({
        t("pipeline"): components.source_label(row["pipeline"], row["kind"] or "", states) + f' ({row["pipeline"]})',
        t("freshness"): f"{theme.icon(status)} {label}",
        t("last_success"): components.fmt_time(row["last_success_at"]),
        t("last_failure"): components.fmt_time(row["last_failure_at"]),
        t("last_error"): row["last_error"] if isinstance(row["last_error"], str) else "",
        t("rows_read"): row["last_rows_read"], t("rows_loaded"): row["last_rows_loaded"],
        t("rows_rejected"): row["quarantined"],
    })
    colours.append(f"background-color:{theme.color(status)};color:{theme.ON_COLORS[status]}")
table = pd.DataFrame(rows)
if table.empty:
    st.caption("—")
else:
    st.dataframe(table.style.apply(lambda _: colours, subset=[t("freshness")], axis=0), hide_index=True,
                 width="stretch", key="health_sources")

st.subheader(t("health_quarantine"))
reasons = queries.quarantine_reasons()
if reasons.empty:
    st.caption(t("health_no_quarantine"))
else:
    st.dataframe(pd.DataFrame({
        t("pipeline"): reasons["source"],
        t("reason_code"): reasons["reason_code"],
        t("records"): reasons["records"],
        t("example"): reasons["example_reason"],
        t("record_keys"): reasons["record_keys"].fillna(""),
        t("last_seen"): [components.fmt_time(v) for v in reasons["last_seen"]],
    }), hide_index=True, width="stretch", key="health_quarantine")

st.subheader(t("health_runs"))
runs = queries.recent_runs(limit=50)
run_colours = [f"background-color:{theme.color(c)};color:{theme.ON_COLORS[c]}"
               for c in runs["state"].map({"success": "green", "failed": "red"}).fillna("unknown")]
shown = pd.DataFrame({
    "run": runs["run_id"], t("pipeline"): runs["pipeline"],
    t("last_state"): [t(f"state_{s}") if f"state_{s}" in i18n.STRINGS else s for s in runs["state"]],
    t("started_at"): [components.fmt_time(v) for v in runs["started_at"]],
    t("seconds"): runs["seconds"].round(1), t("rows_read"): runs["rows_read"], t("rows_loaded"): runs["rows_loaded"],
    t("rows_rejected"): runs["rows_rejected"], t("last_error"): runs["error"].fillna(""),
})
st.dataframe(shown.style.apply(lambda _: run_colours, subset=[t("last_state")], axis=0), hide_index=True,
             width="stretch", key="health_runs")
