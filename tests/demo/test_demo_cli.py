"""The demo command line: `init` once (idempotent), `live` ticks that append changes, a province as Parquet."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from demo import formats
from demo.__main__ import main
from tests.demo.cases import INIT_NOW

ROOT = Path(__file__).resolve().parents[2]
SCALE = ["--scale", "0.2"]


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute(sql).fetchall()


def oa_tables(db: Path) -> dict[str, list[tuple]]:
    return {"documents": rows(db, "select * from oa_document order by doc_id"),
            "steps": rows(db, "select * from oa_document_step order by doc_id, step_no")}


def inbox_files(inbox: Path) -> dict[str, float]:
    return {str(p.relative_to(inbox)): p.stat().st_mtime_ns for p in sorted(inbox.rglob("*")) if p.is_file()}


def latest_requests(inbox: Path) -> pd.DataFrame:
    """Every work order as the newest export shows it (newer 更新时间 wins, as the pipeline merges)."""
    frames = [pd.read_csv(p, encoding="gb18030", dtype=str) for p in sorted((inbox / "requests").glob("*.csv"))]
    merged = pd.concat(frames, ignore_index=True).drop_duplicates()
    merged = merged.loc[merged["工单编号"].notna()]
    return merged.sort_values(["工单编号", "更新时间"]).groupby("工单编号").last().sort_index()


def test_init_builds_a_year_once(demo_env, capsys):
    assert main(["init", "--seed", "4", *SCALE]) == 0
    first = capsys.readouterr().out
    assert "demo city initialised up to 2026-03-02T10:30:00+08:00" in first
    db = demo_env["XIAONENG_DEMO_DIR"] / "oa.sqlite"
    inbox = demo_env["XIAONENG_INBOX"]
    assert rows(db, "select count(*) from org_unit") == [(43,)]
    assert rows(db, "select count(*), min(received_at) < '2025-03-05', max(received_at) <= '2026-03-02T10:30:00+08:00'"
                    " from oa_document where received_at not like '1900%'")[0][1:] == (1, 1)
    files = inbox_files(inbox)
    assert sum(name.startswith("requests/12345工单_") and name.endswith(".csv") for name in files) == 4
    assert sum(name.startswith("milestones/重点工作任务台账_") and name.endswith(".xlsx") for name in files) == 4
    tables = oa_tables(db)

    assert main(["init", "--seed", "4", *SCALE]) == 0
    assert "already holds history" in capsys.readouterr().out
    assert inbox_files(inbox) == files
    assert oa_tables(db) == tables


def test_init_force_rebuilds(demo_env, capsys):
    assert main(["init", "--seed", "4", *SCALE]) == 0
    db = demo_env["XIAONENG_DEMO_DIR"] / "oa.sqlite"
    before = rows(db, "select count(*) from oa_document")
    assert main(["init", "--seed", "5", "--force", *SCALE]) == 0
    assert "initialised" in capsys.readouterr().out.splitlines()[-1]
    assert rows(db, "select value from sim_state where key = 'seed'") == [("5",)]
    assert rows(db, "select count(*) from oa_document") != before


def test_live_once_appends_what_changed(demo_env, monkeypatch, capsys):
    assert main(["init", "--seed", "4", *SCALE]) == 0
    inbox = demo_env["XIAONENG_INBOX"]
    db = demo_env["XIAONENG_DEMO_DIR"] / "oa.sqlite"
    before = inbox_files(inbox)
    documents_before = rows(db, "select count(*) from oa_document")[0][0]

    monkeypatch.setenv("XIAONENG_NOW", "2026-03-02T14:30:00+08:00")
    assert main(["live", "--once"]) == 0
    assert "demo live 2026-03-02T14:30:00+08:00" in capsys.readouterr().out
    new = sorted(set(inbox_files(inbox)) - set(before))
    assert new == ["milestones/重点工作任务台账_20260302_143000.xlsx", "requests/12345工单_20260302_143000.csv"]
    changed = pd.read_csv(inbox / new[1], encoding="gb18030", dtype=str)
    assert changed["更新时间"].between("2026-03-02 10:30:01", "2026-03-02 14:30:00").all()
    assert rows(db, "select count(*) from oa_document")[0][0] > documents_before
    fresh = rows(db, "select count(*) from oa_document_step where updated_at > '2026-03-02T10:30:00+08:00'")[0][0]
    assert fresh > 5
    assert rows(db, "select max(updated_at) <= '2026-03-02T14:30:00+08:00' from oa_document") == [(1,)]
    assert rows(db, "select value from sim_state where key = 'ticks'") == [("1",)]

    after = inbox_files(inbox)
    assert main(["live", "--once"]) == 0  # same 'now': nothing new
    assert inbox_files(inbox) == after


def test_ticks_of_any_length_give_the_same_world(tmp_path, monkeypatch, capsys):
    worlds = {}
    for name, ticks in (("short", ["2026-03-02T16:00:00+08:00", "2026-03-03T11:00:00+08:00",
                                   "2026-03-04T09:45:00+08:00"]),
                        ("long", ["2026-03-04T09:45:00+08:00"])):
        monkeypatch.setenv("XIAONENG_DEMO_DIR", str(tmp_path / name / "demo"))
        monkeypatch.setenv("XIAONENG_INBOX", str(tmp_path / name / "inbox"))
        monkeypatch.setenv("XIAONENG_NOW", INIT_NOW)
        assert main(["init", "--seed", "8", *SCALE]) == 0
        for moment in ticks:
            monkeypatch.setenv("XIAONENG_NOW", moment)
            assert main(["live", "--once"]) == 0
        worlds[name] = (oa_tables(tmp_path / name / "demo" / "oa.sqlite"), latest_requests(tmp_path / name / "inbox"))
    capsys.readouterr()
    assert worlds["short"][0] == worlds["long"][0]
    pd.testing.assert_frame_equal(worlds["short"][1], worlds["long"][1])


def test_live_needs_history_first(demo_env, capsys):
    assert main(["live", "--once"]) == 2
    assert "run `python -m demo init` first" in capsys.readouterr().err


def test_live_stops_cleanly_on_sigterm(demo_env):
    assert main(["init", "--seed", "4", "--scale", "0.05"]) == 0
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    lock = demo_env["XIAONENG_DEMO_DIR"] / "oa.sqlite.live.lock"
    proc = subprocess.Popen([sys.executable, "-m", "demo", "live", "--interval", "60"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not lock.exists():  # the lock is taken after the signal handlers are in place
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the simulator did not start"
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err


def test_a_small_province_is_written_as_parquet(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XIAONENG_TZ", "Asia/Shanghai")
    out = tmp_path / "province"
    assert main(["init", "--size", "province", "--scale", "0.01", "--now", INIT_NOW, "--out", str(out)]) == 0
    assert "province written to" in capsys.readouterr().out
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    expected = {"org_unit": formats.ORG_UNIT_COLUMNS, "org_person": formats.ORG_PERSON_COLUMNS,
                "oa_document": formats.DOCUMENT_COLUMNS, "oa_document_step": formats.STEP_COLUMNS,
                "requests": formats.REQUEST_COLUMNS, "milestones": formats.LEDGER_COLUMNS,
                "request_event": formats.EVENT_COLUMNS}
    for name, columns in expected.items():
        table = pq.read_table(out / f"{name}.parquet")
        assert table.column_names == list(columns)
        assert table.num_rows == manifest["rows"][name] > 0
    assert 150 <= manifest["rows"]["org_unit"] and 1_500 <= manifest["rows"]["org_person"] <= 2_500
    assert 15_000 <= manifest["items"] <= 25_000
    assert manifest["events"] > 8 * manifest["items"]
    events = pq.read_table(out / "request_event.parquet").to_pandas()
    assert events["事件时间"].max() <= "2026-03-02 10:30:00"
    assert set(events["事件类型"].astype(str)) >= {"受理", "派单", "签收", "首次响应", "办结", "回访"}

    assert main(["init", "--size", "province", "--scale", "0.01", "--now", INIT_NOW, "--out", str(out)]) == 0
    assert "already holds a province data set" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["init", "--size", "country"], ["live", "--interval", "soon"]])
def test_bad_arguments_are_refused(argv):
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
