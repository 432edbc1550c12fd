"""Router of the Xiaoneng dashboard: page config, the signed-in viewer and the pages they may open."""
from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts only dashboard/ on the path; the package lives one level up.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st  # noqa: E402

from dashboard import components, session  # noqa: E402
from dashboard.i18n import t  # noqa: E402

wall_requested = st.query_params.get("view") == "wall"
st.set_page_config(page_title=t("app_title"), page_icon="🚦", layout="wide",
                   initial_sidebar_state="collapsed" if wall_requested else "auto")

viewer = session.viewer()

wall_only = wall_requested or viewer.role == "display"
wall = st.Page("pages/wall.py", title=t("nav_wall"), icon=":material/tv:", url_path="wall", default=wall_only)
overview = st.Page("pages/overview.py", title=t("nav_overview"), icon=":material/traffic:", url_path="overview",
                   default=not wall_only)
units = st.Page("pages/unit.py", title=t("nav_units"), icon=":material/account_tree:", url_path="unit")
worklist = st.Page("pages/worklist.py", title=t("nav_worklist"), icon=":material/list_alt:", url_path="worklist")
person = st.Page("pages/person.py", title=t("nav_person"), icon=":material/person:", url_path="person",
                 visibility="hidden")
item = st.Page("pages/item.py", title=t("nav_item"), icon=":material/description:", url_path="item",
               visibility="hidden")
health = st.Page("pages/health.py", title=t("nav_health"), icon=":material/monitor_heart:", url_path="health")

if wall_only:
    # A wall screen (or a display account) gets the board alone: no menu, nothing to click.
    pages: dict[str, list] = {"": [wall]}
    position = "hidden"
else:
    monitor = [overview, units, worklist, person, item]
    if viewer.role != "staff":
        monitor.append(wall)
    if viewer.role in ("admin", "leader", "supervisor"):
        monitor.append(health)
    pages = {t("nav_monitor"): monitor}
    position = "sidebar"

extra = session.extra_pages(viewer)
if extra:
    pages[t("nav_account")] = extra

if position == "sidebar":
    components.language_toggle()
st.navigation(pages, position=position).run()
