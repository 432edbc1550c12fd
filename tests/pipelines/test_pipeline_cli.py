"""The command line: every command honours XIAONENG_DB and fails with one line and a non-zero exit."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines import warehouse
from pipelines.__main__ import main
from tests.pipelines import builders

ROOT = Path(__file__).resolve().parents[2]
REAL = Path("/work/shared/data/real")


def query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_help_lists_the_commands():
    out = subprocess.run([sys.executable, "-m", "pipelines", "--help"], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0
    for command in ("init", "import", "run", "backfill", "schedule", "status", "lights"):
        assert command in out.stdout


def test_init_run_status_in_a_fresh_process(env):
    db = Path(env["XIAONENG_DB"])
    child_env = {**os.environ, **{k: str(v) for k, v in env.items()}}
    for args in (["init"], ["-q", "run"], ["status"]):
        out = subprocess.run([sys.executable, "-m", "pipelines", *args], cwd=ROOT, capture_output=True, text=True,
                             env=child_env, timeout=120)
        assert out.returncode == 0, out.stderr
    assert warehouse.current_link(db).exists()
    assert "oa_documents" in out.stdout and "Latest 10 runs" in out.stdout
    assert query(db, "select count(*) from fct_document") == [(2,)]


def test_unknown_source_fails_with_one_line(env, capsys):
    assert main(["run", "nosuch"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("xiaoneng: run failed: no source named 'nosuch'")


def test_a_failing_source_makes_run_exit_non_zero(env, capsys):
    Path(env["XIAONENG_DEMO_DIR"], "oa.sqlite").unlink()
    assert main(["-q", "run", "org"]) == 1
    captured = capsys.readouterr()
    assert "org: failed" in captured.out and "1 of 1 source(s) failed: org" in captured.err


def test_backfill_rereads_without_moving_the_cursor(env, capsys):
    db = Path(env["XIAONENG_DB"])
    assert main(["-q", "run", "org", "oa_documents"]) == 0
    cursor = query(db, "select cursor_value from source_cursor where source = 'oa_documents.document'")
    assert main(["-q", "backfill", "oa_documents", "--since", "2026-03-01", "--until", "2026-03-03"]) == 0
    assert "oa_documents: 4 read, 0 loaded, 4 unchanged" in capsys.readouterr().out
    assert query(db, "select cursor_value from source_cursor where source = 'oa_documents.document'") == cursor
    assert main(["backfill", "hotline_12345", "--since", "2026-03-01"]) == 1
    assert "has no cursor" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["backfill", "oa_documents", "--since", "yesterday"])


def test_import_guesses_the_mapping_and_takes_a_file_once(env, tmp_path, capsys):
    db = Path(env["XIAONENG_DB"])
    assert main(["-q", "run", "org"]) == 0
    export = builders.write_requests_csv(tmp_path, "20260302_100000", [builders.request_row("R1")])
    assert main(["-q", "import", str(export)]) == 0
    out = capsys.readouterr().out
    assert "as requests with hotline_12345.toml[request]" in out and "1 loaded" in out
    assert main(["-q", "import", str(export)]) == 0
    assert "0 read" in capsys.readouterr().out
    assert export.exists()                                   # imports leave the file where it is
    assert query(db, "select count(*) from fct_request") == [(1,)]


def test_import_with_kind_that_fits_no_mapping_fails(env, tmp_path, capsys):
    export = builders.write_requests_csv(tmp_path, "20260302_100000", [builders.request_row("R1")])
    assert main(["import", "--kind", "milestones", str(export)]) == 1
    assert "no mapping" in capsys.readouterr().err


def test_import_with_explicit_mapping(env, tmp_path, capsys):
    ledger = builders.write_ledger(tmp_path, "20260302_100000", [
        ["T9", "任务", "N1", "节点", "类", "B01", "P003", "2026-03-01", "2026-03-10", None, 5, "2026-03-02 10:00:00"]])
    assert main(["-q", "run", "org"]) == 0
    mapping = ROOT / "config" / "mappings" / "milestone_ledger.toml"
    assert main(["-q", "import", "--mapping", str(mapping), str(ledger)]) == 0
    assert query(Path(env["XIAONENG_DB"]), "select milestone_id from fct_milestone") == [("T9-N1",)]


@pytest.mark.skipif(not REAL.is_dir(), reason="real data folder is not present")
def test_import_of_a_real_event_log(env, capsys):
    assert main(["-q", "import", str(REAL / "running_example" / "running-example.xes")]) == 0
    assert query(Path(env["XIAONENG_DB"]), "select count(*) from fct_document") == [(6,)]


def test_lights_delegates_to_the_lights_module(env, capsys):
    pytest.importorskip("pipelines.lights")
    assert main(["-q", "run"]) == 0
    assert main(["lights", "--as-of", "2026-03-05T12:00:00+08:00"]) == 0
    assert query(Path(env["XIAONENG_DB"]), "select count(*) > 0 from item_light") == [(True,)]
