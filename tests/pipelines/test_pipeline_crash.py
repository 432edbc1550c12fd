"""A pipeline process killed mid-run leaves nothing half-loaded, and the rerun loads every record exactly once."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.pipelines import builders

ROOT = Path(__file__).resolve().parents[2]

# Runs the hotline source in a child process and stops it dead at a chosen point: it writes a marker
# file there and waits to be killed.
CHILD = r"""
import sys, time
from pathlib import Path
from pipelines import runner

point, marker = sys.argv[1], Path(sys.argv[2])

def hang(*args, **kwargs):
    marker.write_text(point)
    time.sleep(600)

if point == "before_commit":
    original = runner._finish_run
    def finish(con, result, now, detail):
        if result.source == "hotline_12345" and result.state == "success":
            hang()
        return original(con, result, now, detail)
    runner._finish_run = finish
elif point == "before_move":
    def move(moves):
        if list(moves):
            hang()
    runner._move_files = move
runner.run(["org", "hotline_12345"], lights=False)
"""


def kill_at(point: str, tmp_path: Path) -> None:
    marker = tmp_path / f"{point}.marker"
    child = subprocess.Popen([sys.executable, "-c", CHILD, point, str(marker)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while not marker.exists():
        if child.poll() is not None:
            pytest.fail(f"child ended before reaching {point}: {child.stdout.read().decode()[-2000:]}")
        if time.monotonic() > deadline:
            child.kill()
            pytest.fail(f"child did not reach {point} within 60 s")
        time.sleep(0.05)
    os.killpg(child.pid, signal.SIGKILL)
    child.wait(10)
    child.stdout.close()


def counts(db: Path) -> tuple:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("""
            select (select count(*) from fct_request), (select count(*) from raw_landing where kind = 'requests'),
                   (select count(*) from quarantine), (select count(*) from processed_file),
                   (select count(*) from fct_suspension)""").fetchall()[0]


@pytest.fixture
def big_export(env):
    rows = [builders.request_row(f"R{i:05d}", 挂起开始="2026-03-03 09:00:00" if i % 7 == 0 else "")
            for i in range(3000)]
    rows.append(builders.request_row("BAD", 承办单位编码="NOPE"))
    return builders.write_requests_csv(Path(env["XIAONENG_INBOX"]) / "requests", "20260302_100000", rows)


@pytest.mark.slow
def test_killed_before_commit_loads_nothing_and_rerun_loads_once(env, big_export, tmp_path):
    from pipelines import runner

    db = Path(env["XIAONENG_DB"])
    kill_at("before_commit", tmp_path)
    assert big_export.exists()                      # not moved: the load never committed
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from fct_request").fetchall() == [(0,)]
        assert con.execute("select state from pipeline_run where pipeline = 'hotline_12345'").fetchall() == [
            ("running",)]
    results = {r.source: r for r in runner.run(["org", "hotline_12345"], lights=False)}
    assert results["hotline_12345"].rows_loaded == 3000
    assert counts(db) == (3000, 3001, 1, 1, 429)
    with duckdb.connect(str(db), read_only=True) as con:
        states = con.execute("select state, error from pipeline_run where pipeline = 'hotline_12345' "
                             "order by run_id").fetchall()
    assert states[0][0] == "failed" and states[0][1].startswith("interrupted")
    assert states[1] == ("success", None)
    assert not big_export.exists()


@pytest.mark.slow
def test_killed_after_commit_before_the_move_does_not_reload(env, big_export, tmp_path):
    from pipelines import runner

    db = Path(env["XIAONENG_DB"])
    kill_at("before_move", tmp_path)
    assert big_export.exists()
    assert counts(db) == (3000, 3001, 1, 1, 429)
    result = {r.source: r for r in runner.run(["hotline_12345"], lights=False)}["hotline_12345"]
    assert result.rows_read == 0
    assert counts(db) == (3000, 3001, 1, 1, 429)
    assert not big_export.exists() and (big_export.parent / "done" / big_export.name).exists()
