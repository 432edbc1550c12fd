"""A real Streamlit server on a free port against a seeded warehouse and app database, and a headless Chromium."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from dashboard import appdb
from tests.fixtures import warehouse as seeded

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
KIOSK_TOKEN = "browser-test-wall-token"
SUPERVISOR = ("sup_city", "browser-test-password")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
STARTUP_TIMEOUT_S = 60


@dataclass
class Server:
    url: str
    warehouse: Path
    log: Path

    def wall_url(self, **params: str) -> str:
        extra = "".join(f"&{k}={v}" for k, v in params.items())
        return f"{self.url}/?view=wall&kiosk={KIOSK_TOKEN}{extra}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _accounts(app_db: Path) -> None:
    appdb.create_user(None, "wall", display_name="大屏", role="display", scope=["C"], path=app_db)
    appdb.rotate_kiosk_token(None, "wall", token=KIOSK_TOKEN, path=app_db)
    appdb.create_user(None, SUPERVISOR[0], display_name="全市督查", role="supervisor", scope=["C"],
                      password=SUPERVISOR[1], path=app_db)


@pytest.fixture(scope="session")
def serve(tmp_path_factory):
    """Start servers on demand; each gets its own warehouse and app database. All stop at the end of the run."""
    started: list[tuple[subprocess.Popen, object]] = []

    def start(name: str, **env: str) -> Server:
        folder = tmp_path_factory.mktemp(name)
        warehouse = folder / "xiaoneng.duckdb"
        app_db = folder / "app.sqlite"
        seeded.build(warehouse)
        _accounts(app_db)
        port = _free_port()
        log_path = folder / "streamlit.log"
        log = open(log_path, "w")
        environment = {
            **os.environ, "XIAONENG_DB": str(warehouse), "XIAONENG_APP_DB": str(app_db),
            "XIAONENG_NOW": seeded.NOW.isoformat(), "XIAONENG_LANG": "zh", "XIAONENG_WALL_ROTATE_S": "0",
            "XIAONENG_PAGE_SIZE": "5", "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", **env,
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
             "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
        started.append((process, log))
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"streamlit exited with {process.returncode}:\n{log_path.read_text()}")
            try:
                if httpx.get(f"{url}/_stcore/health", timeout=2).text == "ok":
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not become healthy in {STARTUP_TIMEOUT_S} s:\n{log_path.read_text()}")
            time.sleep(0.2)  # polling the health endpoint, not waiting for an effect
        return Server(url=url, warehouse=warehouse, log=log_path)

    yield start
    for process, log in started:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="session")
def server(serve) -> Server:
    """The shared server: tests on it must not change its data."""
    return serve("shared")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server, request) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN", accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        print(f"--- streamlit log ---\n{server.log.read_text()}")
    context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def sign_in(page: Page, server: Server) -> None:
    """The login form, as a person uses it; the session then lives in this tab."""
    page.goto(server.url + "/")
    page.get_by_label("用户名").fill(SUPERVISOR[0])
    page.get_by_label("密码").fill(SUPERVISOR[1])
    page.get_by_role("button", name="登录").click()
    page.get_by_test_id("kpi-red-value").wait_for()
