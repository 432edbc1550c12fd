"""Overdue worklist: filter, sort and page in the database; export exactly the filtered list to CSV or Excel."""
from __future__ import annotations

import io
import math
from datetime import date

import streamlit as st

from dashboard import clock, components, exports, i18n, queries, session, settings, theme
from dashboard.i18n import t

viewer = session.viewer()
scope = session.scope(viewer)
components.data_header(t("nav_worklist"))
components.scope_or_stop(scope)

KINDS = ("document", "document_step", "milestone", "request")
SORTS = ("overdue", "due", "unit", "status")
page_size = int(settings.get("XIAONENG_PAGE_SIZE"))

tree = queries.unit_tree(scope)
unit_options = components.unit_options(tree)
options = queries.filter_options(scope)


def statuses(values: list[str]) -> list[str]:
    return [] if values == ["all"] else [v for v in values if v in theme.STATUSES]


def day_of(value: str) -> date:
    return date.fromisoformat(value[:10])


components.seed("wl_unit", "unit", default=None)
components.seed("wl_kind", "kind", default=None)
components.seed("wl_category", "category", default=None)
components.seed("wl_status", "status", parse=statuses, default=["red"], multi=True)
components.seed("wl_open", "open", parse=lambda v: v in ("1", "true"), default=False)
components.seed("wl_overdue", "overdue", parse=float, default=None)
components.seed("wl_due_from", "due_from", parse=day_of, default=None)
components.seed("wl_due_to", "due_to", parse=day_of, default=None)
components.seed("wl_q", "q", default="")
components.seed("wl_sort", "sort", default="overdue")
components.seed("wl_page", "page", parse=int, default=1)
components.seed("wl_person", "person", default=None)
components.seed("wl_day", "day", parse=day_of, default=None)

# A value from a pasted URL that is not on offer (a unit outside the scope, an unknown kind) selects nothing.
if st.session_state["wl_unit"] not in (None, *unit_options):
    components.not_in_scope("unit")
for key, allowed in (("wl_kind", KINDS), ("wl_sort", SORTS)):
    if st.session_state[key] not in (None, *allowed):
        st.session_state[key] = None if key == "wl_kind" else "overdue"

with st.container(border=True):
    c1, c2, c3, c4 = st.columns([3, 2, 2, 3])
    c1.selectbox(t("f_unit"), options=[None, *unit_options], key="wl_unit",
                 format_func=lambda code: t("all") if code is None else unit_options[code], placeholder=t("all"))
    c2.selectbox(t("f_kind"), options=[None, *KINDS], key="wl_kind",
                 format_func=lambda k: t("all") if k is None else i18n.kind_label(k), placeholder=t("all"))
    kind = st.session_state["wl_kind"]
    categories = sorted(set(options[options["kind"] == kind]["category"].dropna()) if kind
                        else set(options["category"].dropna()))
    if st.session_state["wl_category"] not in (None, *categories):
        st.session_state["wl_category"] = None
    c3.selectbox(t("f_category"), options=[None, *categories], key="wl_category",
                 format_func=lambda c: t("all") if c is None else i18n.category_label(c), placeholder=t("all"))
    c4.multiselect(t("f_status"), options=list(theme.STATUSES), key="wl_status", format_func=components.status_text,
                   placeholder=t("all"))
    c1, c2, c3, c4, c5 = st.columns([3, 2, 2, 2, 2])
    c1.text_input(t("f_search"), key="wl_q", max_chars=100)
    c2.number_input(t("f_min_overdue"), min_value=0.0, step=1.0, key="wl_overdue", placeholder="—")
    c3.date_input(t("f_due_range") + " ≥", key="wl_due_from", format="YYYY-MM-DD")
    c4.date_input("≤", key="wl_due_to", format="YYYY-MM-DD")
    c5.selectbox(t("f_sort"), options=list(SORTS), key="wl_sort", format_func=lambda s: t(f"sort_{s}"))
    st.checkbox(t("open_only"), key="wl_open")

person = st.session_state["wl_person"]
day = st.session_state["wl_day"]
if person or day:
    chips = st.columns([4, 1])
    notes = []
    if person:
        notes.append(f"{t('f_person')}：{person}")
    if day:
        notes.append(t("day_mode", day=day.isoformat()))
    chips[0].info(" · ".join(notes), icon=":material/filter_alt:")
    if chips[1].button(t("f_clear"), key="wl_clear_context"):
        st.session_state["wl_person"] = None
        st.session_state["wl_day"] = None
        person, day = None, None
        components.sync_url({"person": None, "day": None})
        st.rerun()

filters = queries.Worklist(
    unit=st.session_state["wl_unit"], kind=kind, category=st.session_state["wl_category"],
    statuses=tuple(st.session_state["wl_status"] or ()), open_only=bool(st.session_state["wl_open"]),
    min_overdue=st.session_state["wl_overdue"], due_from=st.session_state["wl_due_from"],
    due_to=st.session_state["wl_due_to"], q=(st.session_state["wl_q"] or "").strip() or None,
    person=person, day=day, sort=st.session_state["wl_sort"] or "overdue")

# A new filter starts again on page 1.
if st.session_state.get("_wl_filters") != filters:
    if st.session_state.get("_wl_filters") is not None:
        st.session_state["wl_page"] = 1
    st.session_state["_wl_filters"] = filters

# One query gives the page and the pager's counts; a page past the end of the list (a pasted URL, a list that
# shrank since) shows the first page instead.
page = st.session_state["wl_page"] if isinstance(st.session_state["wl_page"], int) else 1
page = max(page, 1)
listing = queries.worklist_page(scope, filters, limit=page_size, offset=(page - 1) * page_size)
pages = max(1, math.ceil(listing.total / page_size))
if page > pages:
    page = 1
    listing = queries.worklist_page(scope, filters, limit=page_size, offset=0)
st.session_state["wl_page"] = page
count, rows = listing.counts(), listing.rows

components.sync_url({
    "unit": filters.unit, "kind": filters.kind, "category": filters.category,
    # No parameter means "red"; an empty choice means every status, and the URL says so.
    "status": None if filters.statuses == ("red",) else (list(filters.statuses) or ["all"]),
    "open": "1" if filters.open_only else None,
    "overdue": None if filters.min_overdue is None else f"{filters.min_overdue:g}",
    "due_from": filters.due_from, "due_to": filters.due_to, "q": filters.q,
    "sort": None if filters.sort == "overdue" else filters.sort,
    "page": page if page > 1 else None, "person": person, "day": day,
})

st.html(f'<div data-testid="worklist-count" data-total="{count["total"]}">'
        f'{t("rows_found", total=count["total"], red=count["red"], yellow=count["yellow"], page=page, pages=pages)}'
        f'</div>')
if rows.empty:
    st.caption(t("rows_none"))
else:
    picked = components.items_table(rows, key="wl_table", masked=viewer.mask_names,
                                    height=min(36 * len(rows) + 40, 720))
    if picked:
        components.goto("item", kind=picked[0], item=picked[1])
if pages > 1:
    st.pagination(pages, key="wl_page", max_visible_pages=9)

if count["total"] and viewer.can_export:
    language = i18n.lang()
    masked = viewer.mask_names
    stamp = clock.now().strftime("%Y%m%d_%H%M")
    detail = {"filters": exports.describe(filters), "rows": count["total"], "page": "worklist"}

    def audit(fmt: str) -> None:
        exports.audit(viewer, {**detail, "format": fmt})

    def csv_bytes() -> bytes:
        return exports.csv_bytes(exports.frame(scope, filters, masked, language))

    def xlsx_bytes() -> bytes:
        buffer = io.BytesIO()
        exports.write_xlsx(exports.frame(scope, filters, masked, language), buffer, i18n.text("export_sheet", language))
        return buffer.getvalue()

    c1, c2, _ = st.columns([2, 2, 4])
    c1.download_button(t("export_csv", n=count["total"]), data=csv_bytes, file_name=f"worklist_{stamp}.csv",
                       mime="text/csv", key="wl_export_csv", on_click=audit, args=("csv",),
                       icon=":material/download:")
    c2.download_button(t("export_xlsx", n=count["total"]), data=xlsx_bytes, file_name=f"worklist_{stamp}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key="wl_export_xlsx", on_click=audit, args=("xlsx",), icon=":material/download:")
elif count["total"]:
    st.caption(t("export_denied"))
