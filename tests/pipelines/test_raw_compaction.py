"""Compacting the raw archive: a past month's pull files become one file, every record still found as received."""
from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines import runner, scheduler, warehouse
from pipelines.__main__ import main
from pipelines.sources import archive, compact, guess
from pipelines.sources import config as cfg
from tests.pipelines import builders

ZONE = ZoneInfo("Asia/Shanghai")
JAN, FEB, MAR = (datetime(2026, m, d, 12, 0, tzinfo=ZONE) for m, d in ((1, 10), (2, 3), (3, 2)))
# The record of a quarantined batch, as docs/pipelines.md ("Raw records") shows it.
FIND_RECORD = """
select r.location, r.format, r.row_offset + q.record_no - r.first_record_no as position
from quarantine as q
join raw_batch_file as r
    on r.run_id = q.run_id and q.record_no between r.first_record_no and r.first_record_no + r.records - 1
where q.record_key = ?"""


def query(db: Path, sql: str, *params) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        con.execute("set TimeZone = 'Asia/Shanghai'")
        return con.execute(sql, list(params)).fetchall()


class Hotline:
    """A hotline database read by an 'sql' source (SQLite through connectorx), pulled at chosen times."""

    def __init__(self, env, tmp_path: Path):
        self.path = tmp_path / "hotline.sqlite"
        self.limit_type = "integer"
        self.extra: list[str] = []
        self._create()
        self.source = cfg.parse_source("orders_db", {
            "type": "sql", "kind": "requests", "url": f"sqlite://{self.path}",
            "streams": [{"entity": "request", "table": "orders", "primary_key": ["工单编号"], "cursor": "updated_at",
                         "mapping": "mappings/hotline_12345.toml"}]}, Path(env["XIAONENG_CONFIG"]))

    def _create(self) -> None:
        columns = [f'"{h}" {self.limit_type if h == "办理时限(工作日)" else "text"}' for h in builders.REQUEST_HEADER]
        with sqlite3.connect(self.path) as con:
            con.execute("drop table if exists orders")
            con.execute(f"create table orders ({', '.join(columns + [f'{c} text' for c in self.extra])}, "
                        "updated_at text)")

    def add_column(self, name: str) -> None:
        with sqlite3.connect(self.path) as con:
            con.execute(f"alter table orders add column {name} text")
        self.extra.append(name)

    def retype_limit(self) -> None:
        """The source changes 办理时限(工作日) from a whole number to text (the rows read already are kept)."""
        self.limit_type = "text"
        self._create()

    def pull(self, at: datetime, *rows: dict) -> runner.RunResult:
        """Add records updated at `at` (one minute apart) and pull them at that time."""
        with sqlite3.connect(self.path) as con:
            for i, row in enumerate(rows):
                stamp = f"{at:%Y-%m-%d} 09:{i:02d}:00"
                values = {**row, "更新时间": stamp, "受理时间": f"{at:%Y-%m-%d} 08:00:00",
                          "派单时间": f"{at:%Y-%m-%d} 08:30:00"}
                limit = values["办理时限(工作日)"]
                values["办理时限(工作日)"] = int(limit) if self.limit_type == "integer" else limit
                names = [*(f'"{n}"' for n in values), "updated_at"]
                con.execute(f"insert into orders ({', '.join(names)}) values ({', '.join('?' * len(names))})",
                            [*values.values(), stamp])
        with warehouse.writer() as con:
            result = runner.run_source(con, self.source, now=at)
        assert result.state == "success", result.error
        return result


def order(n: int, **values: str) -> dict:
    return builders.request_row(f"S{n}", **values)


def kept_batches(db: Path) -> dict[tuple[int, int], tuple]:
    """(run_id, first_record_no) -> (source, records, format, location, sha256, row_offset) of every kept file."""
    return {(r[0], r[1]): r[2:] for r in query(
        db, "select run_id, first_record_no, source, records, format, location, sha256, row_offset "
            "from raw_batch_file")}


def pull_files(db: Path) -> dict[tuple[int, int], pa.Table]:
    """The records of every pull file, as received."""
    return {key: pq.read_table(row[3]) for key, row in kept_batches(db).items()
            if row[2] == "parquet" and archive.pulled_key(Path(row[3])) is not None}


def folder_files(db: Path, source: str, month: str) -> list[str]:
    return sorted(p.name for p in (db.parent / "raw" / source / month).iterdir())


@pytest.fixture
def history(env, tmp_path):
    """Pulls over January and February and one in the current month (March), with rejected records, a column
    added at the source in January, org's two streams in January and an imported Parquet file."""
    runner.run(["org"], now=JAN, lights=False, publish=False)
    hotline = Hotline(env, tmp_path)
    hotline.pull(JAN, order(1), order(2, 承办单位编码="NOPE"))
    hotline.pull(JAN.replace(day=20), order(3), order(4, 承办单位编码="NOPE"), order(5))
    hotline.add_column("备注")
    hotline.pull(JAN.replace(day=25), order(6, 备注="加急"), order(7, 承办单位编码="NOPE", 备注="重复"))
    hotline.pull(FEB, order(8), order(9, 承办单位编码="NOPE"))
    hotline.pull(FEB.replace(day=14), order(10))
    hotline.pull(MAR, order(11), order(12, 承办单位编码="NOPE"))
    imported = tmp_path / "orders.parquet"
    pq.write_table(pa.table({h: [v] for h, v in order(13).items()}), imported)
    assert runner.import_files([imported], guess.source_for([imported]), now=JAN).state == "success"
    return hotline


def assert_compacted(db: Path, before: dict[tuple[int, int], tuple], originals: dict[tuple[int, int], pa.Table],
                     months: set[tuple[str, str]]) -> None:
    """Each listed source-month is one merged file holding each batch's records as received; nothing else moved."""
    after = kept_batches(db)
    assert after.keys() == before.keys()
    raw = db.parent / "raw"
    for key, (source, records, fmt, location, sha256, row_offset) in after.items():
        path = Path(location)
        month = path.parent.name
        assert (source, records, fmt) == before[key][:3]
        if (source, month) not in months or key not in originals:
            assert (location, sha256, row_offset) == before[key][3:]          # untouched
            continue
        assert path == raw / source / month / "pulls-1.parquet"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == sha256
        assert not Path(before[key][3]).exists()
        merged = pq.read_table(path)
        rows = merged.slice(row_offset, records)
        original = originals[key]
        assert rows.select(original.column_names).equals(original)           # values and types as received
        assert all(rows[c].null_count == records for c in merged.column_names if c not in original.column_names)
        ranges = json.loads(pq.read_schema(path).metadata[compact.COLUMNS_KEY.encode()])
        columns = [r["columns"] for r in ranges if r["first_row"] <= row_offset][-1]
        assert columns == original.column_names
    for source, month in months:
        assert folder_files(db, source, month) == ["pulls-1.parquet"]
        held = query(db, "select sum(records) from raw_batch_file where location = ?",
                     str(raw / source / month / "pulls-1.parquet"))[0][0]
        assert pq.read_metadata(raw / source / month / "pulls-1.parquet").num_rows == held
    assert not list((raw / ".incoming").iterdir())


def test_past_months_become_one_file_each_and_every_record_is_found_as_received(env, history):
    db = Path(env["XIAONENG_DB"])
    before, originals = kept_batches(db), pull_files(db)
    march = folder_files(db, "orders_db", "2026-03")
    imported = [k for k, row in before.items() if row[2] == "parquet" and archive.pulled_key(Path(row[3])) is None]
    assert len(imported) == 1 and len(folder_files(db, "orders_db", "2026-01")) == 3
    quarantined = query(db, "select record_key, payload from quarantine where source = 'orders_db'")
    assert len(quarantined) == 5
    found_before = {key: row_found(db, key) for key, _ in quarantined}

    results = compact.compact_raw()

    assert [r.line() for r in results] == [
        "orders_db 2026-01: 3 file(s) → 1 (pulls-1.parquet), 7 records",
        "orders_db 2026-02: 2 file(s) → 1 (pulls-1.parquet), 3 records",
        "org 2026-01: 2 file(s) → 1 (pulls-1.parquet), 7 records"]
    assert_compacted(db, before, originals, {("org", "2026-01"), ("orders_db", "2026-01"), ("orders_db", "2026-02")})
    assert folder_files(db, "orders_db", "2026-03") == march                  # the current month is left alone
    assert all(Path(before[k][3]).exists() for k in imported)                  # so is the imported file's copy
    # Every quarantined record, found with the documented query, is the record as received.
    for key, payload in quarantined:
        (location, fmt, position), = query(db, FIND_RECORD, key)
        record = json.loads(payload)
        row = pq.read_table(location).slice(position, 1).to_pylist()[0]
        assert fmt == "parquet" and {k: row[k] for k in record} == record
        assert {k: row[k] for k in found_before[key]} == found_before[key]    # the row found before compaction
        assert all(v is None for k, v in row.items() if k not in record)
        assert query(db, "select 工单编号, \"办理时限(工作日)\" from read_parquet(?, file_row_number = true) "
                         "where file_row_number = ?", location, position) == [(key, 13)]
    # Nothing more to do: a second compaction changes nothing.
    stamps, after = {p: p.stat().st_mtime_ns for p in (db.parent / "raw").rglob("*.parquet")}, kept_batches(db)
    assert compact.compact_raw() == []
    assert {p: p.stat().st_mtime_ns for p in (db.parent / "raw").rglob("*.parquet")} == stamps
    assert kept_batches(db) == after
    assert query(db, "select source, sum(records) from raw_batch_file group by 1 order by 1") == [
        (s, sum(r[1] for r in before.values() if r[0] == s)) for s in sorted({r[0] for r in before.values()})]


def row_found(db: Path, key: str) -> dict:
    (location, _, position), = query(db, FIND_RECORD, key)
    return pq.read_table(location).slice(position, 1).to_pylist()[0]


def test_a_column_that_changed_type_leaves_its_month_as_it_is(env, tmp_path):
    db = Path(env["XIAONENG_DB"])
    runner.run(["org"], now=MAR, lights=False, publish=False)
    hotline = Hotline(env, tmp_path)
    hotline.pull(JAN, order(1))
    hotline.retype_limit()
    hotline.pull(JAN.replace(day=20), order(2))
    hotline.pull(FEB, order(3))
    before, originals = kept_batches(db), pull_files(db)
    january = folder_files(db, "orders_db", "2026-01")

    left, done = compact.compact_raw(source="orders_db")

    assert left.state == "left" and re.fullmatch(
        r"orders_db 2026-01: 2 file\(s\) left as they are — column '办理时限\(工作日\)' is int64 in run\d+-0\.parquet "
        r"but string in run\d+-0\.parquet, and types are not coerced", left.line())
    assert folder_files(db, "orders_db", "2026-01") == january
    assert done.line() == "orders_db 2026-02: 1 file(s) → 1 (pulls-1.parquet), 1 records"
    assert_compacted(db, before, originals, {("orders_db", "2026-02")})
    assert [r.state for r in compact.compact_raw()] == ["left"]                # asked again, still left, said again


def test_a_crash_after_the_commit_is_finished_by_the_next_compaction(env, history, monkeypatch):
    db = Path(env["XIAONENG_DB"])
    before, originals = kept_batches(db), pull_files(db)
    incoming = db.parent / "raw" / ".incoming"

    def killed(data, target):
        raise RuntimeError("killed")

    with monkeypatch.context() as m:
        m.setattr(compact, "_put_in_place", killed)
        with pytest.raises(RuntimeError, match="killed"):
            compact.compact_raw()
    # Committed: the hotline's January rows point at the merged file, still in .incoming/ with its manifest.
    target = db.parent / "raw" / "orders_db" / "2026-01" / "pulls-1.parquet"
    assert {row[3] for key, row in kept_batches(db).items() if key in originals and "2026-01" in before[key][3]
            and row[0] == "orders_db"} == {str(target)}
    assert not target.exists() and all(Path(before[k][3]).exists() for k in originals)
    assert sorted(p.suffix for p in incoming.iterdir()) == [".json", ".parquet"]
    assert all(archive.temp_key(p) is None for p in incoming.iterdir())      # not mistaken for a run's file
    # The next pipeline run finishes it: the merged file put in place, the files it replaced deleted.
    history.pull(MAR.replace(day=4), order(20))
    assert list(incoming.iterdir()) == [] and target.exists()
    assert not any(Path(before[k][3]).exists() for k in originals
                   if before[k][0] == "orders_db" and "2026-01" in before[k][3])
    before, originals = kept_batches(db), pull_files(db)

    results = compact.compact_raw()

    assert [r.line().split(":")[0] for r in results] == ["orders_db 2026-02", "org 2026-01"]
    assert_compacted(db, before, originals, {("org", "2026-01"), ("orders_db", "2026-01"), ("orders_db", "2026-02")})


def test_a_crash_before_the_commit_is_undone_by_the_next_compaction(env, history, monkeypatch):
    db = Path(env["XIAONENG_DB"])
    before, originals = kept_batches(db), pull_files(db)
    incoming = db.parent / "raw" / ".incoming"

    def killed(*args):
        raise RuntimeError("killed")

    with monkeypatch.context() as m:
        m.setattr(compact, "_repoint", killed)
        m.setattr(compact, "_discard", lambda *paths: None)                  # killed: nothing cleans up
        with pytest.raises(RuntimeError, match="killed"):
            compact.compact_raw()
    assert kept_batches(db) == before and len(list(incoming.iterdir())) == 2
    assert [r.line() for r in compact.compact_raw(source="org")] == [
        "org 2026-01: 2 file(s) → 1 (pulls-1.parquet), 7 records"]
    assert not list(incoming.iterdir())
    assert compact.compact_raw()[0].line() == "orders_db 2026-01: 3 file(s) → 1 (pulls-1.parquet), 7 records"
    assert_compacted(db, before, originals, {("org", "2026-01"), ("orders_db", "2026-01"), ("orders_db", "2026-02")})


def test_a_changed_file_fails_its_month_and_changes_nothing(env, history):
    db = Path(env["XIAONENG_DB"])
    before = kept_batches(db)
    victim = next(Path(row[3]) for row in before.values() if "orders_db/2026-02" in row[3])
    table = pq.read_table(victim)
    pq.write_table(table.set_column(0, table.field(0), pa.array(["X"] * table.num_rows)), victim)
    results = {r.month: r for r in compact.compact_raw(source="orders_db")}
    assert results["2026-02"].state == "failed" and "sha256 differs" in results["2026-02"].reason
    assert results["2026-01"].state == "compacted"
    assert not list((db.parent / "raw" / ".incoming").iterdir())
    assert folder_files(db, "orders_db", "2026-02") == sorted(
        Path(row[3]).name for row in before.values() if "orders_db/2026-02" in row[3])
    assert {k: v for k, v in kept_batches(db).items() if "2026-02" in v[3]} == {
        k: v for k, v in before.items() if "2026-02" in v[3]}


def test_command_line(env, history, capsys):
    db = Path(env["XIAONENG_DB"])
    assert main(["-q", "compact-raw", "--source", "orders_db", "--before", "2026-02"]) == 0
    assert capsys.readouterr().out.splitlines() == ["orders_db 2026-01: 3 file(s) → 1 (pulls-1.parquet), 7 records"]
    assert folder_files(db, "orders_db", "2026-02") != ["pulls-1.parquet"]
    assert main(["-q", "compact-raw", "--before", "2026-05"]) == 1
    assert capsys.readouterr().err.strip() == (
        "xiaoneng: compact-raw failed: --before 2026-05 is after the current month 2026-03, which is still being "
        "written")
    with pytest.raises(SystemExit):
        main(["compact-raw", "--before", "March"])
    assert main(["-q", "compact-raw"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "orders_db 2026-02: 2 file(s) → 1 (pulls-1.parquet), 3 records",
        "org 2026-01: 2 file(s) → 1 (pulls-1.parquet), 7 records"]
    assert main(["-q", "compact-raw"]) == 0
    assert capsys.readouterr().out.strip() == "nothing to compact before 2026-03"


def test_the_offset_column_is_added_to_an_older_warehouse_once(tmp_path):
    db = tmp_path / "old.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute((warehouse.SCHEMA_DIR / "001_core.sql").read_text(encoding="utf-8"))
        con.execute("insert into raw_batch_file values ('s', 'requests', 1, now(), 0, 2, 't', 'parquet', null, "
                    "'/raw/s/2026-01/run1-0.parquet', 'abc')")
    for _ in range(2):
        with warehouse.writer(db) as con:
            assert con.execute("select column_name, is_nullable, column_default from information_schema.columns "
                               "where table_name = 'raw_batch_file' and column_name = 'row_offset'").fetchall() == [
                ("row_offset", "NO", "0")]
            assert con.execute("select run_id, row_offset from raw_batch_file").fetchall() == [(1, 0)]


def test_the_scheduler_compacts_daily_at_half_past_three(env):
    job = scheduler.build(cfg.load()).get_job("compact-raw")
    fields = {f.name: str(f) for f in job.trigger.fields}
    assert (fields["hour"], fields["minute"], job.max_instances, job.coalesce) == ("3", "30", 1, True)
    assert job.func is scheduler.compact_raw_job
