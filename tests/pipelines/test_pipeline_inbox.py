"""Inbox sources beyond the demo: typed Parquet ledgers and an event-log folder, configured as in the examples."""
from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines import runner
from pipelines.sources import config as cfg
from tests.pipelines import builders

ROOT = Path(__file__).resolve().parents[2]
SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 5, 12, 0, tzinfo=SH)
REAL = Path("/work/shared/data/real")


@pytest.fixture
def examples(env) -> cfg.Config:
    base = cfg.load(ROOT / "config" / "sources.toml")
    extra = cfg.load(ROOT / "config" / "examples" / "sources_real_data.toml")
    return cfg.Config(sources={**base.sources, **extra.sources})


def query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        con.execute("set TimeZone = 'Asia/Shanghai'")
        return con.execute(sql).fetchall()


def test_typed_parquet_ledger_loads(env, examples):
    folder = Path(env["XIAONENG_INBOX"]) / "milestones_parquet"
    folder.mkdir()
    table = pa.table({
        "任务编号": ["T1", "T1"], "任务名称": ["春耕", "春耕"], "节点编号": [1, 2], "节点名称": ["备耕", "播种"],
        "任务类别": ["农业", "农业"], "责任单位编码": ["B01", "B01"], "责任人工号": ["P003", None],
        "计划开始": pa.array([date(2026, 3, 1), date(2026, 3, 11)], pa.date32()),
        "计划完成": pa.array([date(2026, 3, 10), date(2026, 4, 30)], pa.date32()),
        "实际完成": pa.array([date(2026, 3, 9), None], pa.date32()),
        "完成进度(%)": [100.0, 12.5],
        "更新时间": pa.array([datetime(2026, 3, 9, 18, 0, tzinfo=SH)] * 2, pa.timestamp("us", "Asia/Shanghai")),
    })
    path = folder / "ledger.parquet"
    pq.write_table(table, path)
    builders.settle(path)
    results = {r.source: r for r in runner.run(["org", "ledgers_parquet"], now=NOW, config=examples, lights=False)}
    assert results["ledgers_parquet"].rows_loaded == 2, results["ledgers_parquet"].error
    assert query(Path(env["XIAONENG_DB"]), "select milestone_id, actual_date, progress_pct, updated_at "
                                           "from fct_milestone order by 1") == [
        ("T1-1", date(2026, 3, 9), 100.0, datetime(2026, 3, 9, 18, 0, tzinfo=SH)),
        ("T1-2", None, 12.5, datetime(2026, 3, 9, 18, 0, tzinfo=SH))]
    assert (folder / "done" / "ledger.parquet").exists()


@pytest.mark.skipif(not REAL.is_dir(), reason="real data folder is not present")
def test_event_log_folder(env, examples):
    folder = Path(env["XIAONENG_INBOX"]) / "eventlogs"
    folder.mkdir()
    for name in ("running-example.xes",):
        shutil.copy(REAL / "running_example" / name, folder / name)
        builders.settle(folder / name)
    (folder / "notes.txt").write_text("not a log", encoding="utf-8")
    builders.settle(folder / "notes.txt")
    result, = runner.run(["permit_logs"], now=NOW, config=examples, lights=False)
    assert (result.rows_read, result.files, result.files_rejected) == (42, 2, 1)
    assert query(Path(env["XIAONENG_DB"]), "select count(*) from fct_document") == [(6,)]
    assert (folder / "done" / "running-example.xes").exists()
    assert "unknown file type" in (folder / "rejected" / "notes.txt.reason.txt").read_text()
