"""Small render helpers shared by the pages: status badges, KPI tiles, the legend, data-as-of and navigation."""
from __future__ import annotations

import html
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import auth, clock, db, freshness, i18n, queries, settings, theme
from dashboard.i18n import t

PAGES = {
    "overview": "pages/overview.py",
    "unit": "pages/unit.py",
    "person": "pages/person.py",
    "item": "pages/item.py",
    "worklist": "pages/worklist.py",
    "wall": "pages/wall.py",
    "health": "pages/health.py",
}

SOURCE_KINDS = {"documents": "kind_document", "requests": "kind_request", "milestones": "kind_milestone"}
SOURCE_LABELS = {"org": ("组织人员", "Organisation"), "lights": ("灯色研判", "Lights")}


def mask_name(name: object) -> str:
    """张三丰 -> 张**: the same masking as everywhere else in the dashboard (auth.mask_name)."""
    if not isinstance(name, str) or not name:
        return ""
    return auth.mask_name(name)


def person_label(name: object, masked: bool) -> str:
    if not isinstance(name, str):
        return ""
    return mask_name(name) if masked else name


def fmt_time(value: Any, with_date: bool = True) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(clock.zone())
    return stamp.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M")


def fmt_day(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def fmt_rate(value: Any) -> str:
    if value is None or pd.isna(value):
        return t("no_rate")
    return f"{float(value) * 100:.0f}%"


def status_text(status: str) -> str:
    """Colour is never alone: every status carries its icon and its word."""
    return f"{theme.icon(status)} {i18n.status_label(status)}"


def badge_html(status: str, label: str | None = None, testid: str | None = None) -> str:
    attr = f' data-testid="{html.escape(testid)}"' if testid else ""
    return (f'<span class="xn-badge"{attr} data-status="{html.escape(status)}" '
            f'style="background:{theme.color(status)};color:{theme.ON_COLORS.get(status, "#111")}">'
            f'{theme.icon(status)} {html.escape(label or i18n.status_label(status))}</span>')


BASE_CSS = f"""
<style>
.xn-badge {{ display:inline-block; padding:2px 10px; border-radius:12px; font-weight:600; white-space:nowrap; }}
.xn-kpis {{ display:grid; grid-template-columns:repeat(5, minmax(0, 1fr)); gap:12px; margin:4px 0 8px; }}
.xn-kpi {{ border-radius:10px; padding:10px 14px; border-left:8px solid; background:#f8fafc; }}
.xn-kpi .xn-kpi-label {{ font-size:0.95rem; color:#374151; }}
.xn-kpi .xn-kpi-value {{ font-size:2.1rem; font-weight:700; line-height:1.15; color:#111827; }}
.xn-legend {{ display:flex; flex-wrap:wrap; gap:14px; font-size:0.9rem; color:#374151; margin:2px 0 6px; }}
.xn-sources {{ display:flex; flex-wrap:wrap; gap:8px 16px; font-size:0.85rem; color:#4b5563; }}
.xn-src-problem {{ color:{theme.COLORS["red"]}; font-weight:600; }}
</style>
"""


def base_css() -> None:
    st.html(BASE_CSS)


def kpi_tiles(totals: dict[str, int]) -> None:
    tiles = []
    for status in theme.STATUSES:
        tiles.append(
            f'<div class="xn-kpi" data-testid="kpi-{status}" style="border-color:{theme.color(status)}">'
            f'<div class="xn-kpi-label">{theme.icon(status)} {html.escape(i18n.status_label(status))}</div>'
            f'<div class="xn-kpi-value" data-testid="kpi-{status}-value">{int(totals.get(status, 0))}</div></div>')
    st.html(f'<div class="xn-kpis">{"".join(tiles)}</div>')


def legend() -> None:
    parts = [f'<span>{badge_html(s)} {html.escape(t("status_help_" + s))}</span>' for s in theme.STATUSES]
    st.html(f'<div class="xn-legend">{"".join(parts)}</div>')


def source_label(pipeline: str, kind: str, states: list[freshness.SourceState]) -> str:
    if kind in SOURCE_KINDS:
        label = t(SOURCE_KINDS[kind])
    elif kind in SOURCE_LABELS:
        zh, en = SOURCE_LABELS[kind]
        label = en if i18n.lang() == "en" else zh
    else:
        return pipeline
    # Two sources of the same kind are told apart by their configured name.
    if sum(1 for s in states if s.kind == kind) > 1:
        label = f"{label}·{pipeline}"
    return label


def source_sentence(state: freshness.SourceState, states: list[freshness.SourceState]) -> str:
    source = source_label(state.pipeline, state.kind, states)
    when = fmt_time(state.last_success_at)
    if state.state == "failed":
        return t("source_failed", source=source, failed=fmt_time(state.last_failure_at), time=when)
    if state.state == "late":
        return t("source_late", source=source, time=when)
    if state.state == "never":
        return t("source_never", source=source)
    return t("source_ok", source=source, time=when)


def source_states(now: datetime | None = None) -> list[freshness.SourceState]:
    stale_after = timedelta(minutes=float(settings.get("XIAONENG_STALE_AFTER_MIN")))
    return freshness.source_states(queries.source_freshness(), now or clock.now(), stale_after)


def no_data() -> None:
    st.info(t("no_data"), icon=":material/hourglass_empty:")


def data_header(title: str) -> list[freshness.SourceState]:
    """Page title, data-as-of per source, and a plain sentence for every late or failed source; stops without data."""
    base_css()
    st.title(title)
    try:
        states = source_states()
        as_of = queries.lights_as_of()
    except db.NoData:
        no_data()
        st.stop()
    chips = [f'<span>{html.escape(t("lights_as_of", time=fmt_time(as_of.get("as_of"))))}</span>']
    for state in states:
        if state.kind == "lights":
            continue
        cls = ' class="xn-src-problem"' if state.is_problem else ""
        chips.append(f'<span{cls} data-testid="source-{html.escape(state.pipeline)}" data-state="{state.state}">'
                     f'{html.escape(source_sentence(state, states))}</span>')
    st.html(f'<div class="xn-sources" data-testid="data-as-of">{t("data_as_of")}：{"".join(chips)}</div>')
    problems = [s for s in states if s.is_problem]
    if problems:
        st.warning(t("freshness_warning") + " " + "；".join(source_sentence(s, states) for s in problems),
                   icon=":material/warning:")
    return states


def nav_params(**params: Any) -> dict[str, str]:
    """Query parameters for a link to another page; the language travels along."""
    out = {k: str(v) for k, v in params.items() if v is not None and v != ""}
    if i18n.lang() != settings.get("XIAONENG_LANG"):
        out["lang"] = i18n.lang()
    return out


def goto(page: str, **params: Any) -> None:
    st.switch_page(PAGES[page], query_params=nav_params(**params))


def page_link(page: str, label: str, icon: str | None = None, **params: Any) -> None:
    st.page_link(PAGES[page], label=label, icon=icon, query_params=nav_params(**params))


def status_styler(frame: pd.DataFrame, column: str = "status_label", status_column: str = "status") -> Any:
    """Colour the status cell (the cell also says the status in words)."""
    colours = frame[status_column].map(lambda s: f"background-color:{theme.color(s)};color:{theme.ON_COLORS.get(s, '#111')}")
    return frame.style.apply(lambda _: colours.to_list(), subset=[column], axis=0)


def selected_row(event: Any) -> int | None:
    """The index of the row picked in a dataframe selection event, if any."""
    try:
        rows = event.selection.rows
    except AttributeError:
        return None
    return rows[0] if rows else None


def chart_points(event: Any) -> list[dict]:
    try:
        return list(event.selection.points)
    except AttributeError:
        return []


def language_toggle() -> None:
    st.sidebar.segmented_control(
        t("language"), options=list(i18n.LANGS), key=i18n.LANG_KEY, default=settings.get("XIAONENG_LANG"),
        format_func=lambda code: {"zh": "中文", "en": "English"}[code], bind="query-params", required=True)


def scope_or_stop(scope: queries.Scope) -> None:
    if not scope.units:
        st.warning(t("no_scope"))
        st.stop()
