"""Signing in and out inside Streamlit: the form, lock-out, expiry, wall-screen tokens, SSO headers, OIDC, admin pages."""
from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from dashboard import appdb, auth

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "dashboard" / "pages"
PASSWORD = "correct horse battery"
T0 = "2026-03-16T09:00:00+08:00"

# A page that needs a viewer: what every dashboard page does first.
GUARDED = """
import streamlit as st
from dashboard import auth
viewer = auth.require_viewer()
st.markdown(f"signed-in:{viewer.username}:{viewer.role}:{viewer.auth_method}")
"""

ACCOUNT = """
import streamlit as st
from dashboard import auth
auth._account_page()
"""


@pytest.fixture(autouse=True)
def app_db(tmp_path, monkeypatch):
    path = tmp_path / "app.sqlite"
    monkeypatch.setenv("XIAONENG_APP_DB", str(path))
    monkeypatch.setenv("XIAONENG_DB", str(tmp_path / "none.duckdb"))
    monkeypatch.setenv("XIAONENG_NOW", T0)
    monkeypatch.delenv("XIAONENG_TRUSTED_HEADER", raising=False)
    monkeypatch.delenv("XIAONENG_OIDC_PROVIDER", raising=False)
    monkeypatch.setattr(appdb, "HASHER", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
    appdb.create_user(None, "alice", display_name="Alice", role="supervisor", scope=["B03"], password=PASSWORD)
    appdb.create_user(None, "root", display_name="Root", role="admin", scope=["*"], password=PASSWORD)
    appdb.create_user(None, "wall", display_name="Wall", role="display", scope=["C"])
    return path


def guarded() -> AppTest:
    return AppTest.from_string(GUARDED, default_timeout=30)


def who(at: AppTest) -> str | None:
    for md in at.markdown:
        if md.value.startswith("signed-in:"):
            return md.value
    return None


def texts(at: AppTest) -> str:
    return " ".join(e.value for kind in (at.error, at.info, at.warning, at.success) for e in kind)


def submit_login(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    return at.button(key="login_submit").click().run()


def test_nobody_signed_in_sees_only_the_login_form():
    at = guarded().run()
    assert not at.exception
    assert who(at) is None
    assert at.text_input(key="login_username") and at.text_input(key="login_password")


def test_signing_in_through_the_form_shows_the_page_and_starts_an_audited_session():
    at = submit_login(guarded().run(), "alice", PASSWORD)
    assert who(at) == "signed-in:alice:supervisor:password"
    viewer = at.session_state["viewer"]
    assert viewer.scope == ("B03",) and viewer.session_id
    assert [s["username"] for s in appdb.open_sessions()] == ["alice"]
    assert appdb.audit_entries(action="login")[0]["detail"] == {"method": "password"}


def test_wrong_password_says_so_without_saying_which_part_was_wrong():
    at = submit_login(guarded().run(), "alice", "wrong-password")
    assert who(at) is None
    assert "用户名或密码错误" in texts(at)
    at = submit_login(at, "nobody", "wrong-password")
    assert "用户名或密码错误" in texts(at)


def test_english_texts_are_available():
    at = guarded()
    at.query_params["lang"] = "en"
    at = submit_login(at.run(), "alice", "wrong-password")
    assert "Wrong user name or password" in texts(at)


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password():
    at = guarded().run()
    for _ in range(5):
        at = submit_login(at, "alice", "wrong-password")
    assert "锁定" in texts(at)
    at = submit_login(at, "alice", PASSWORD)
    assert who(at) is None and "锁定" in texts(at)
    assert appdb.get_account("alice").locked_until is not None


def test_idle_session_is_signed_out_with_a_notice(monkeypatch):
    at = submit_login(guarded().run(), "alice", PASSWORD)
    monkeypatch.setenv("XIAONENG_NOW", "2026-03-16T09:20:00+08:00")
    assert who(at.run()) is not None
    monkeypatch.setenv("XIAONENG_NOW", "2026-03-16T09:51:00+08:00")
    at.run()
    assert who(at) is None
    assert "长时间未操作" in texts(at)


TIMED = """
import streamlit as st
from dashboard import auth
if st.session_state.get("phase") == "timer":
    st.markdown(f"still:{auth.still_signed_in()}")
else:
    viewer = auth.require_viewer()
    st.markdown(f"signed-in:{viewer.username}:{viewer.role}:{viewer.auth_method}")
"""


def test_timed_refreshes_check_the_session_without_keeping_it_alive(monkeypatch):
    at = submit_login(AppTest.from_string(TIMED, default_timeout=30).run(), "alice", PASSWORD)
    assert who(at) is not None
    at.session_state["phase"] = "timer"
    for minute in (10, 20, 29):
        monkeypatch.setenv("XIAONENG_NOW", f"2026-03-16T09:{minute:02d}:00+08:00")
        assert [m.value for m in at.run().markdown] == ["still:True"]
    # Thirty minutes after the last real click the session has idled out, refreshes or not.
    monkeypatch.setenv("XIAONENG_NOW", "2026-03-16T09:30:00+08:00")
    assert [m.value for m in at.run().markdown] == ["still:False"]
    at.session_state["phase"] = "page"
    at.run()
    assert who(at) is None and "长时间未操作" in texts(at)


def test_a_revoked_wall_screen_notices_at_its_next_timed_refresh():
    token = appdb.rotate_kiosk_token(None, "wall")
    at = AppTest.from_string(TIMED, default_timeout=30)
    at.query_params.update({"view": "wall", "kiosk": token})
    at.run()
    at.session_state["phase"] = "timer"
    assert [m.value for m in at.run().markdown] == ["still:True"]
    appdb.set_disabled(auth.Viewer("root", "Root", "admin", ("C",)), "wall", True)
    assert [m.value for m in at.run().markdown] == ["still:False"]


def test_disabling_an_account_signs_it_out_at_the_next_click():
    at = submit_login(guarded().run(), "alice", PASSWORD)
    admin = auth.Viewer("root", "Root", "admin", ("C",))
    appdb.set_disabled(admin, "alice", True)
    at.run()
    assert who(at) is None


def test_a_role_change_applies_at_the_next_click():
    at = submit_login(guarded().run(), "alice", PASSWORD)
    appdb.update_user(auth.Viewer("root", "Root", "admin", ("C",)), "alice", role="leader", scope=["C"])
    at.run()
    assert who(at) == "signed-in:alice:leader:password"
    assert at.session_state["viewer"].scope == ("C",)


def test_logout_from_the_account_page_ends_the_session():
    at = submit_login(AppTest.from_string(ACCOUNT, default_timeout=30).run(), "alice", PASSWORD)
    session_id = at.session_state["viewer"].session_id
    at.button(key="logout_button").click().run()
    assert "viewer" not in at.session_state
    assert at.text_input(key="login_username")
    assert appdb.open_sessions() == []
    assert appdb.audit_entries(action="logout")[0]["username"] == "alice"
    assert appdb.check_session(session_id, at=appdb.now(), idle_minutes=30) == (None, "logout")


def test_changing_ones_password_on_the_account_page():
    at = submit_login(AppTest.from_string(ACCOUNT, default_timeout=30).run(), "alice", PASSWORD)
    at.text_input(key="pw_current").input(PASSWORD)
    at.text_input(key="pw_new").input("another long secret")
    at.text_input(key="pw_again").input("another long secret")
    at.button(key="pw_submit").click().run()
    assert "viewer" not in at.session_state, "a password change ends the session"
    at = submit_login(at, "alice", "another long secret")
    assert at.session_state["viewer"].username == "alice"


def test_a_wall_screen_signs_in_by_its_kiosk_token_read_only_and_masked():
    token = appdb.rotate_kiosk_token(None, "wall")
    at = guarded()
    at.query_params.update({"view": "wall", "kiosk": token})
    at.run()
    assert who(at) == "signed-in:wall:display:kiosk"
    viewer = at.session_state["viewer"]
    assert viewer.mask_names and viewer.read_only and viewer.board == "wall"
    assert auth.auth_pages(viewer) == []
    # The next refresh reuses the session instead of opening another.
    at.run()
    assert len(appdb.open_sessions()) == 1


def test_a_bad_or_revoked_kiosk_token_shows_an_error_and_nothing_else():
    token = appdb.rotate_kiosk_token(None, "wall")
    at = guarded()
    at.query_params.update({"view": "wall", "kiosk": token + "x"})
    at.run()
    assert who(at) is None and "大屏令牌无效" in texts(at)
    at = guarded()
    at.query_params.update({"view": "wall", "kiosk": token})
    at.run()
    assert who(at) is not None
    appdb.rotate_kiosk_token(None, "wall")
    at.run()
    assert who(at) is None
    assert appdb.audit_entries(action="kiosk_failed")


def test_a_display_account_cannot_use_the_password_form():
    at = submit_login(guarded().run(), "wall", "")
    assert who(at) is None


def proxy_says(monkeypatch, username: str) -> None:
    monkeypatch.setattr(auth, "_request_headers", lambda: {"x-forwarded-user": username})


def test_a_user_header_is_ignored_unless_trusted_header_is_set(monkeypatch):
    proxy_says(monkeypatch, "root")
    at = guarded().run()
    assert who(at) is None
    assert at.text_input(key="login_username")


def test_a_trusted_header_signs_in_the_named_account(monkeypatch):
    monkeypatch.setenv("XIAONENG_TRUSTED_HEADER", "X-Forwarded-User")
    proxy_says(monkeypatch, "alice")
    at = guarded().run()
    assert who(at) == "signed-in:alice:supervisor:header"
    # Another person behind the proxy in the same tab: the header wins.
    proxy_says(monkeypatch, "root")
    at.run()
    assert who(at) == "signed-in:root:admin:header"


def test_a_trusted_header_naming_an_unknown_user_is_refused(monkeypatch):
    monkeypatch.setenv("XIAONENG_TRUSTED_HEADER", "X-Forwarded-User")
    proxy_says(monkeypatch, "mallory")
    at = guarded().run()
    assert who(at) is None and "mallory" in texts(at)
    assert appdb.audit_entries(action="login_failed")[0]["detail"]["method"] == "header"


def test_oidc_identity_is_used_only_when_oidc_is_configured(monkeypatch):
    appdb.create_user(None, "carol@example.org", display_name="Carol", role="leader", scope=["C"])
    at = guarded()
    at.user = {"is_logged_in": True, "email": "carol@example.org"}
    assert who(at.run()) is None
    monkeypatch.setenv("XIAONENG_OIDC_PROVIDER", "default")
    at.run()
    assert who(at) == "signed-in:carol@example.org:leader:oidc"


def test_a_viewer_placed_by_server_code_is_trusted_as_is():
    at = guarded()
    at.session_state["viewer"] = auth.Viewer("fixture", "Fixture", "leader", ("C",))
    at.run()
    assert who(at) == "signed-in:fixture:leader:password"


# ---- pages


def admin_page(name: str, viewer: auth.Viewer) -> AppTest:
    at = AppTest.from_file(str(PAGES / name), default_timeout=30)
    at.session_state["viewer"] = viewer
    return at


ADMIN = auth.Viewer("root", "Root", "admin", ("C",))


@pytest.mark.parametrize("page", ["admin_users.py", "admin_audit.py"])
@pytest.mark.parametrize("role", ["leader", "supervisor", "staff", "display"])
def test_admin_pages_refuse_other_roles_and_audit_the_attempt(page, role):
    at = admin_page(page, auth.Viewer("alice", "Alice", role, ("B03",), person_id="P07")).run()
    assert "无权" in texts(at)
    assert not at.dataframe
    assert appdb.audit_entries(action="page_denied")[0]["username"] == "alice"


@pytest.mark.parametrize("page", ["admin_users.py", "admin_audit.py"])
def test_admin_pages_ask_for_a_sign_in_first(page):
    at = AppTest.from_file(str(PAGES / page), default_timeout=30).run()
    assert at.text_input(key="login_username") and not at.dataframe


def test_admin_creates_a_user_who_can_then_sign_in():
    at = admin_page("admin_users.py", ADMIN).run()
    assert not at.exception
    listed = at.dataframe[0].value
    assert set(listed.iloc[:, 0]) == {"alice", "root", "wall"}
    at.text_input(key="new_username").input("dave")
    at.text_input(key="new_display_name").input("戴维")
    at.selectbox(key="new_role").select("leader")
    at.text_input(key="new_scope").input("B01, B02")
    at.text_input(key="new_password").input("a long enough secret")
    at.button(key="new_submit").click().run()
    assert not at.exception
    account = appdb.get_account("dave")
    assert (account.role, account.scope, account.display_name) == ("leader", ("B01", "B02"), "戴维")
    assert appdb.login("dave", "a long enough secret", at=appdb.now(), max_failures=5, lock_minutes=15).ok


def test_admin_page_shows_why_a_user_cannot_be_created():
    at = admin_page("admin_users.py", ADMIN).run()
    at.text_input(key="new_username").input("erin")
    at.selectbox(key="new_role").select("staff")
    at.text_input(key="new_scope").input("B03")
    at.text_input(key="new_password").input("a long enough secret")
    at.button(key="new_submit").click().run()
    assert "人员编号" in texts(at)
    assert appdb.get_account("erin") is None


def test_admin_disables_and_unlocks_and_issues_a_wall_token():
    at = admin_page("admin_users.py", ADMIN).run()
    at.selectbox(key="edit_user").select("alice").run()
    at.button(key="disable_user").click().run()
    assert appdb.get_account("alice").is_disabled
    at.button(key="enable_user").click().run()
    assert not appdb.get_account("alice").is_disabled
    at.selectbox(key="edit_user").select("wall").run()
    at.button(key="rotate_kiosk").click().run()
    [code] = at.code
    token = code.value.split("kiosk=", 1)[1]
    assert appdb.account_for_kiosk_token(token).username == "wall"


def test_admin_edits_a_role_and_scope():
    at = admin_page("admin_users.py", ADMIN).run()
    at.selectbox(key="edit_user").select("alice").run()
    at.selectbox(key="edit_role").select("leader")
    at.text_input(key="edit_scope").input("C")
    at.button(key="edit_submit").click().run()
    assert not at.exception
    account = appdb.get_account("alice")
    assert (account.role, account.scope) == ("leader", ("C",))


def test_audit_page_lists_entries_and_filters_by_outcome():
    appdb.login("alice", "wrong-password", at=appdb.now(), max_failures=5, lock_minutes=15)
    at = admin_page("admin_audit.py", ADMIN).run()
    assert not at.exception
    assert "哈希链完整" in texts(at)
    table = at.dataframe[0].value
    assert "login_failed" in set(table.iloc[:, 3])
    at.selectbox(key="audit_outcome").select("failed").run()
    table = at.dataframe[0].value
    assert set(table.iloc[:, 3]) == {"login_failed"}


def test_audit_page_search_box_with_sql_metacharacters_matches_nothing():
    at = admin_page("admin_audit.py", ADMIN).run()
    at.text_input(key="audit_user").input("' or '1'='1").run()
    assert not at.exception
    assert not at.dataframe
    assert "没有符合条件的记录" in texts(at)


def test_login_page_shows_the_form_and_signs_in():
    at = AppTest.from_file(str(PAGES / "login.py"), default_timeout=30).run()
    at = submit_login(at, "root", PASSWORD)
    assert at.session_state["viewer"].role == "admin"
    assert not at.text_input
