"""A pipeline process killed mid-run leaves nothing half-loaded, and the rerun loads every record exactly once."""
from __future__ import annotations

import hashlib
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
    original_move = runner._move_files
    def move(moves):
        moves = list(moves)
        if any(m.path.suffix == ".csv" for m in moves):     # the hotline export, after its run committed
            hang()
        original_move(moves)
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
            select (select count(*) from fct_request),
                   (select sum(records) from raw_batch_file where kind = 'requests'),
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
    done = big_export.parent / "done" / big_export.name
    assert not big_export.exists() and done.exists()
    assert str(done) in [location for location, _ in kept_files(db)]   # where the committed run said it would be


def kept_files(db: Path) -> list[tuple[str, str]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select location, sha256 from raw_batch_file order by location").fetchall()


def test_archive_files_not_put_in_place_before_a_crash_are_settled_by_the_next_run(env, monkeypatch):
    from pipelines import runner

    db = Path(env["XIAONENG_DB"])
    incoming = db.parent / "raw" / ".incoming"
    with monkeypatch.context() as m:
        m.setattr(runner, "_move_files", lambda moves: None)      # dies after the commit, before the renames
        runner.run(["org"], lights=False)
    kept = kept_files(db)
    assert len(kept) == 2 and not any(Path(location).exists() for location, _ in kept)
    assert len(list(incoming.iterdir())) == 2
    runner.run(["org"], lights=False)
    assert kept_files(db) == kept                                 # nothing new was kept, the old ones found
    for location, sha in kept:
        assert hashlib.sha256(Path(location).read_bytes()).hexdigest() == sha
    assert not list(incoming.iterdir())


def test_archive_files_of_a_failed_run_are_removed(env, monkeypatch):
    from pipelines import runner

    db = Path(env["XIAONENG_DB"])
    incoming = db.parent / "raw" / ".incoming"

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    with monkeypatch.context() as m:
        m.setattr(runner, "load_table", fail)
        assert runner.run(["org"], lights=False)[0].state == "failed"
    assert kept_files(db) == [] and not list(incoming.iterdir())   # removed by the failed run itself
    with monkeypatch.context() as m:                                 # killed before it could remove them
        m.setattr(runner, "load_table", fail)
        m.setattr(runner, "_discard_temporary", lambda moves: None)
        runner.run(["org"], lights=False)
    assert len(list(incoming.iterdir())) == 1
    (incoming / "notes.txt").write_text("not an archive file")
    results = runner.run(["org"], lights=False)
    assert results[0].state == "success" and len(kept_files(db)) == 2
    assert [p.name for p in incoming.iterdir()] == ["notes.txt"]     # the failed run's file went; others stay
