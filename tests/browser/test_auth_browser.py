"""Signing in and out in a real Chromium against the served app: the form, the app, logout, lock-out, kiosk links."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from dashboard import appdb

pytestmark = pytest.mark.browser

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PASSWORD = "correct horse battery"
KIOSK = "kiosk-token-for-the-browser-test"
WAIT_MS = 30_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition: Callable[[], bool], what: str, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[dict]:
    """The real dashboard on a free port, over the seeded warehouse, with one account per role."""
    from tests.fixtures import warehouse as fixture

    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (make browser)")
    tmp = tmp_path_factory.mktemp("auth-browser")
    warehouse, app_db = tmp / "wh.duckdb", tmp / "app.sqlite"
    fixture.build(warehouse)
    for username, role, scope, person in (("chief", "admin", ["*"], None), ("alice", "supervisor", ["B03"], None),
                                          ("lena", "leader", ["C"], None), ("sam", "staff", ["B03"], "P07")):
        appdb.create_user(None, username, display_name=username.title(), role=role, scope=scope, person_id=person,
                          password=PASSWORD, path=app_db)
    appdb.create_user(None, "wall", display_name="Wall", role="display", scope=["C"], path=app_db)
    appdb.rotate_kiosk_token(None, "wall", token=KIOSK, path=app_db)

    port = free_port()
    env = {**os.environ, "XIAONENG_DB": str(warehouse), "XIAONENG_APP_DB": str(app_db),
           "XIAONENG_NOW": fixture.NOW.isoformat(), "XIAONENG_LOGIN_MAX_FAILURES": "5",
           "XIAONENG_LOGIN_LOCK_MIN": "15", "XIAONENG_TRUSTED_HEADER": "", "XIAONENG_LANG": "zh"}
    log_path = tmp / "streamlit.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        if proc.poll() is not None:
            raise AssertionError(f"streamlit exited ({proc.returncode}):\n{log_path.read_text(errors='replace')}")
        try:
            return httpx.get(f"{url}/_stcore/health", timeout=1).text == "ok"
        except httpx.HTTPError:
            return False

    try:
        try:
            wait_for(healthy, "the dashboard to serve", timeout_s=60)
        except AssertionError as failed:
            raise AssertionError(f"{failed}\n{log_path.read_text(errors='replace')}") from None
        yield {"url": url, "app_db": app_db, "log": log_path}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with playwright_sync.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, served):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    context.set_default_timeout(WAIT_MS)
    tab = context.new_page()
    yield tab
    context.close()
    # pytest shows captured output only for a failed test: there the server's log is attached.
    print(f"--- streamlit log ---\n{served['log'].read_text(errors='replace')}")


def login_form(page):
    return page.locator(".st-key-login_username input"), page.locator(".st-key-login_password input")


def sign_in(page, username: str, password: str) -> None:
    user, secret = login_form(page)
    expect(user).to_be_visible()
    user.fill(username)
    secret.fill(password)
    page.locator(".st-key-login_submit button").click()


def failed_count(served, username: str) -> int:
    return appdb.get_account(username, path=served["app_db"]).failed_count


def test_an_admin_page_opened_by_url_asks_for_a_sign_in_then_opens(page, served):
    # First request to a fresh server: nothing of the page may show before the sign-in.
    page.goto(f"{served['url']}/admin_users")
    user, _ = login_form(page)
    expect(user).to_be_visible()
    expect(page.get_by_text("用户与角色")).to_have_count(0)
    expect(page.get_by_text("alice", exact=True)).to_have_count(0)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    # The deep link survives the sign-in: the administrator lands on the page asked for.
    sign_in(page, "chief", PASSWORD)
    expect(page.get_by_role("heading", name="用户与角色")).to_be_visible()
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()


def test_a_supervisor_following_an_admin_link_is_refused(page, served):
    page.goto(f"{served['url']}/admin_users")
    sign_in(page, "alice", PASSWORD)
    expect(page.get_by_role("link", name="我的账户")).to_be_visible()
    expect(page.get_by_role("heading", name="用户与角色")).to_have_count(0)
    expect(page.get_by_role("link", name="用户与角色")).to_have_count(0)


def open_session_ids(served, username: str) -> set[str]:
    return {s["session_id"] for s in appdb.open_sessions(path=served["app_db"]) if s["username"] == username}


def test_sign_in_see_the_app_and_sign_out(page, served):
    before = open_session_ids(served, "alice")
    page.goto(served["url"])
    sign_in(page, "alice", PASSWORD)
    # The app: the menu with the account page, and the sign-in form gone.
    account_link = page.get_by_role("link", name="我的账户")
    expect(account_link).to_be_visible()
    expect(page.get_by_role("link", name="总览")).to_be_visible()
    expect(login_form(page)[0]).to_have_count(0)
    wait_for(lambda: len(open_session_ids(served, "alice") - before) == 1, "the session row")
    [session] = open_session_ids(served, "alice") - before
    account_link.click()
    logout = page.locator(".st-key-logout_button button")
    expect(logout).to_be_visible()
    logout.click()
    expect(login_form(page)[0]).to_be_visible()
    assert session not in open_session_ids(served, "alice")
    assert appdb.audit_entries(username="alice", action="logout", path=served["app_db"])


def test_five_wrong_passwords_lock_the_account(page, served):
    page.goto(served["url"])
    for attempt in range(1, 5):
        sign_in(page, "lena", f"wrong-password-{attempt}")
        wait_for(lambda: failed_count(served, "lena") == attempt, f"failure {attempt} to be counted")
        expect(page.get_by_text("用户名或密码错误")).to_be_visible()
    sign_in(page, "lena", "wrong-password-5")
    expect(page.get_by_text("账户已锁定")).to_be_visible()
    assert appdb.get_account("lena", path=served["app_db"]).locked_until is not None
    # The right password no longer helps while the lock lasts.
    refused_before = len(appdb.audit_entries(username="lena", action="login_refused_locked", path=served["app_db"]))
    sign_in(page, "lena", PASSWORD)
    wait_for(lambda: len(appdb.audit_entries(username="lena", action="login_refused_locked",
                                             path=served["app_db"])) == refused_before + 1, "the refusal")
    expect(page.get_by_text("账户已锁定")).to_be_visible()
    expect(login_form(page)[0]).to_be_visible()
    expect(page.get_by_role("link", name="我的账户")).to_have_count(0)


def test_a_kiosk_link_opens_the_wall_without_a_form_and_a_bad_one_does_not(page, served):
    page.goto(f"{served['url']}/?view=wall&kiosk=bad-{KIOSK}")
    expect(page.get_by_text("大屏令牌无效")).to_be_visible()
    page.goto(f"{served['url']}/?view=wall&kiosk={KIOSK}")
    wait_for(lambda: any(s["username"] == "wall" and s["method"] == "kiosk"
                         for s in appdb.open_sessions(path=served["app_db"])), "the wall-screen session")
    expect(page.get_by_text("大屏令牌无效")).to_have_count(0)
    expect(login_form(page)[0]).to_have_count(0)
    # Read-only, one board: no menu, no account page.
    expect(page.get_by_role("link", name="我的账户")).to_have_count(0)
