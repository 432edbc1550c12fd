"""Who is looking at this page: the viewer from the sign-in, and the data scope that follows from it."""
from __future__ import annotations

import streamlit as st

from dashboard import auth, i18n
from dashboard.queries import Scope


def viewer() -> auth.Viewer:
    """The signed-in viewer; stops the page with the sign-in form (or a sentence) when nobody is signed in."""
    require = getattr(auth, "require_viewer", None)
    if require is not None:
        return require()
    current = st.session_state.get("viewer")
    if current is None:
        st.info(i18n.t("no_viewer"))
        st.stop()
    return current


def scope(current: auth.Viewer | None = None) -> Scope:
    return Scope.of(current or viewer())


def extra_pages(current: auth.Viewer) -> list:
    """Pages the sign-in module adds (sign-out, administration), when it offers them."""
    pages = getattr(auth, "auth_pages", None)
    return list(pages(current)) if pages is not None else []
