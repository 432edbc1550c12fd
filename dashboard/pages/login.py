"""The sign-in page: the only page offered while nobody is signed in."""
import streamlit as st

from dashboard import auth

viewer = st.session_state.get("viewer")
if isinstance(viewer, auth.Viewer):
    # Only reached when a page is opened by its file name after signing in.
    st.success(f"{viewer.display_name} · {auth.role_name(viewer.role)}", icon=":material/check_circle:")
else:
    auth.login_form()
