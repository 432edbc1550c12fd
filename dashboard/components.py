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
[data-testid="stMainBlockContainer"] {{ padding-top: 2.5rem; }}
.xn-badge {{ display:inline-block; padding:2px 10px; border-radius:12px; font-weight:600; white-space:nowrap; }}
.xn-kpis {{ display:grid; grid-template-columns:repeat(5, minmax(0, 1fr)); gap:12px; margin:4px 0 8px; }}
.xn-kpi {{ border-radius:10px; padding:10px 14px; border-left:8px solid; background:#f8fafc; }}
.xn-kpi .xn-kpi-label {{ font-size:0.95rem; color:#374151; }}
.xn-kpi .xn-kpi-value {{ font-size:2.1rem; font-weight:700; line-height:1.15; color:#111827; }}
.xn-legend {{ display:flex; flex-wrap:wrap; gap:14px; font-size:0.9rem; color:#374151; margin:2px 0 6px; }}
.xn-sources {{ display:flex; flex-wrap:wrap; gap:8px 16px; font-size:0.85rem; color:#4b5563; }}
.xn-src-problem {{ color:{theme.COLORS["red"]}; font-weight:600; }}
.xn-facts {{ display:grid; grid-template-columns: max-content 1fr max-content 1fr; gap:6px 18px; margin:0;
  padding:12px 16px; background:#f8fafc; border-radius:10px; }}
.xn-facts dt {{ color:#4b5563; }}
.xn-facts dd {{ margin:0; font-weight:600; color:#111827; }}
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
    return freshness.source_states(queries.source_freshness(), now or clock.now(), stale_after,
                                   queries.source_expectations())


def no_data(missing: db.NoData) -> None:
    """The sentence for data the pages cannot show yet: nothing published, or published without its marts."""
    if isinstance(missing, db.NotPrepared):
        st.info(t("not_prepared"), icon=":material/hourglass_empty:")
    else:
        st.info(t("no_data"), icon=":material/hourglass_empty:")


def ensure_data(marts: bool = True) -> None:
    """Stop the page with a plain sentence while no snapshot has been published yet, or (`marts`) while the
    published one lacks the marts the pages read."""
    try:
        if marts:
            queries.require_marts()
        else:
            db.current_snapshot()
    except db.NoData as missing:
        base_css()
        no_data(missing)
        st.stop()


def data_header(title: str, marts: bool = True) -> list[freshness.SourceState]:
    """Page title, data-as-of per source, and a plain sentence for every late or failed source; stops without data
    (and without marts, unless the page does not need them: then it says so and goes on)."""
    base_css()
    ensure_data(marts)
    st.title(title)
    states = source_states()
    try:
        lights_time = fmt_time(queries.lights_as_of().get("as_of"))
    except db.NotPrepared as missing:
        no_data(missing)
        lights_time = fmt_time(None)
    chips = [f'<span>{html.escape(t("lights_as_of", time=lights_time))}</span>']
    for state in states:
        if state.kind == "lights":
            continue
        cls = ' class="xn-src-problem"' if state.is_problem else ""
        chips.append(f'<span{cls} data-testid="source-{html.escape(state.pipeline)}" data-state="{state.state}">'
                     f'{html.escape(source_sentence(state, states))}</span>')
    st.html(f'<div class="xn-sources" data-testid="data-as-of">{t("data_as_of")}：{"".join(chips)}</div>')
    if any(s.is_problem for s in states):
        st.warning(t("freshness_warning"), icon=":material/warning:")
    return states


def not_in_scope(what: str) -> None:
    st.warning(t("not_in_scope", what=t(f"what_{what}")), icon=":material/search_off:")
    st.stop()


def unit_options(tree: pd.DataFrame) -> dict[str, str]:
    """Unit code -> indented name, in tree order, for pickers."""
    top = int(tree["level"].min()) if not tree.empty else 0
    return {row["unit_code"]: "\u3000" * (int(row["level"]) - top) + i18n.unit_name(row)
            for row in tree.to_dict("records")}


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


def _lang_changed() -> None:
    set_url_param(i18n.LANG_KEY, st.session_state[i18n.LANG_KEY])


def language_toggle() -> None:
    """Chinese or English; the choice is kept in the URL (`lang=en`) so a pasted link opens the same way."""
    if i18n.LANG_KEY not in st.session_state:
        st.session_state[i18n.LANG_KEY] = i18n.lang()
    st.sidebar.segmented_control(
        t("language"), options=list(i18n.LANGS), key=i18n.LANG_KEY, required=True,
        format_func=lambda code: {"zh": "中文", "en": "English"}[code], on_change=_lang_changed)


def set_url_param(name: str, value: Any) -> None:
    default = settings.get("XIAONENG_LANG") if name == i18n.LANG_KEY else None
    if value is None or value == "" or value == default:
        if name in st.query_params:
            del st.query_params[name]
    else:
        st.query_params[name] = str(value)


def seed(key: str, param: str, parse: Any = str, default: Any = None, multi: bool = False) -> None:
    """Give a widget its value from the URL when the page opens and whenever the URL changes under it.

    A pasted link or a link from another page (even to the same page) opens the view it names; a change
    made with the widget is written back to the URL by `sync_url`.
    """
    raw = st.query_params.get_all(param)
    seen = f"_url_{key}"
    links = st.session_state.setdefault("_url_keys", {})
    links[param] = key
    if key in st.session_state and st.session_state.get(seen) == raw:
        return
    value = default
    if raw:
        try:
            value = parse(raw) if multi else parse(raw[-1])
        except (TypeError, ValueError):
            value = default
    st.session_state[key] = value
    st.session_state[seen] = raw


def sync_url(params: dict[str, Any]) -> None:
    """Write the page state to the URL (only what differs from the defaults), keeping the language."""
    wanted: dict[str, Any] = {}
    for name, value in params.items():
        if value is None or value == "" or value == [] or value == () or value is False:
            continue
        wanted[name] = [str(v) for v in value] if isinstance(value, (list, tuple)) else str(value)
    if i18n.lang() != settings.get("XIAONENG_LANG"):
        wanted[i18n.LANG_KEY] = i18n.lang()
    normalised = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    links = st.session_state.get("_url_keys", {})
    for name in params:
        if name in links:
            st.session_state[f"_url_{links[name]}"] = normalised.get(name, [])
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    if current != normalised:
        st.query_params.from_dict(wanted)


def scope_or_stop(scope: queries.Scope) -> None:
    if not scope.units:
        st.warning(t("no_scope"))
        st.stop()


def items_frame(rows: pd.DataFrame, masked: bool, language: str | None = None) -> pd.DataFrame:
    """Worklist rows as shown on screen and exported: words for codes, the light as icon and word."""
    lang = language or i18n.lang()

    def label(key: str) -> str:
        return i18n.text(key, lang)

    return pd.DataFrame({
        label("status"): [f"{theme.icon(s)} {i18n.status_label(s, lang)}" for s in rows["status"]],
        label("kind"): [i18n.kind_label(k, lang) for k in rows["kind"]],
        label("item"): rows["item_id"],
        label("title"): [i18n.item_title(r, lang) for r in rows.to_dict("records")],
        label("category"): [i18n.category_label(c, lang) for c in rows["category"]],
        label("unit"): [i18n.unit_name(r, prefix="unit_", language=lang) for r in rows.to_dict("records")],
        label("person"): [person_label(n, masked) for n in rows["person_name"]],
        label("due"): [fmt_time(v) for v in rows["due_at"]],
        label("overdue_days"): rows["overdue_days"].astype(float),
        label("reason"): rows["reason_en"] if lang == "en" else rows["reason_zh"],
    })


def items_table(rows: pd.DataFrame, key: str, masked: bool, height: int | str = "auto") -> tuple[str, str] | None:
    """A table of items; picking a row returns its (kind, item_id) so the page can open it."""
    frame = items_frame(rows, masked)
    colours = [f"background-color:{theme.color(s)};color:{theme.ON_COLORS.get(s, '#111')}" for s in rows["status"]]
    styled = frame.style.apply(lambda _: colours, subset=[t("status")], axis=0).format(
        {t("overdue_days"): lambda v: f"{v:g}" if v else ""})
    event = st.dataframe(styled, key=key, on_select="rerun", selection_mode="single-row", hide_index=True,
                         height=height, width="stretch")
    row = selected_row(event)
    if row is None or row >= len(rows):
        return None
    picked = rows.iloc[row]
    return str(picked["kind"]), str(picked["item_id"])
