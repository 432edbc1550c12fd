"""The demo sources end to end: org sync, OA documents, 12345 CSV inbox and milestone XLSX inbox."""
from __future__ import annotations

import csv
import hashlib
import sqlite3
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from pipelines import runner, warehouse
from tests.pipelines import builders

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 5, 12, 0, tzinfo=SH)
LATER = datetime(2026, 3, 5, 13, 0, tzinfo=SH)

TABLES = ("dim_unit", "dim_person", "fct_document", "fct_document_step", "fct_request", "fct_milestone",
          "fct_suspension", "fct_extension", "quarantine", "fct_change_history", "processed_file",
          "dim_unit_ancestor")


def counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"select count(*) from {t}").fetchall()[0][0] for t in TABLES}


def query(db: Path, sql: str, *params) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        con.execute("set TimeZone = 'Asia/Shanghai'")
        return con.execute(sql, list(params)).fetchall()


def by_source(results) -> dict[str, runner.RunResult]:
    return {r.source: r for r in results}


@pytest.fixture
def demo_inbox(env):
    inbox = Path(env["XIAONENG_INBOX"])
    builders.write_requests_csv(inbox / "requests", "20260302_100000", [
        builders.request_row("R1"),
        builders.request_row("R2", 承办单位编码="NOPE"),
        builders.request_row("R3", 受理时间="1900-01-01 00:00:00"),
        builders.request_row("R4", 挂起开始="2026-03-03 09:00:00", 挂起结束="2026-03-04 09:00:00",
                             延期至="2026-03-20 18:00:00", 满意度="满意", 诉求类型="咨询"),
        builders.request_row("R5", 办结时间="2026-03-01 09:00:00"),
        builders.request_row("", 标题="无编号"),
        builders.request_row("R6", 受理时间="昨天上午"),
        builders.request_row("R7", **{"办理时限(工作日)": "三天"}),
    ])
    builders.write_ledger(inbox / "milestones", "20260302_100000", [
        ["T1", "春耕备耕", "N1", "制定方案", "农业", "B01", "P003", "2026-03-01", "2026-03-10", None, 50,
         "2026-03-02 10:00:00"],
        ["T1", "春耕备耕", "N2", "组织实施", "农业", "B01", "P003", "2026-03-11", "2026-04-30", None, 0,
         "2026-03-02 10:00:00"],
        ["T2", "道路整治", "N1", "立项", "城建", "B02", "P002", "2026-03-01", "2026-02-01", None, 10,
         "2026-03-02 10:00:00"],
    ])
    return inbox


def test_demo_sources_load_and_reject_with_reasons(env, demo_inbox):
    results = by_source(runner.run(now=NOW))
    assert {r.state for r in results.values()} == {"success"}
    db = Path(env["XIAONENG_DB"])
    c = counts(db)
    assert c["dim_unit"] == 4 and c["dim_person"] == 3
    assert c["fct_document"] == 2 and c["fct_document_step"] == 4
    assert query(db, "select unit_code, path, level from dim_unit order by unit_code") == [
        ("B01", "/C/B01/", 2), ("B02", "/C/B02/", 2), ("C", "/C/", 1), ("D0101", "/C/B01/D0101/", 3)]
    assert query(db, "select ancestor_code, depth from dim_unit_ancestor where unit_code = 'D0101' order by depth") \
        == [("D0101", 0), ("B01", 1), ("C", 2)]
    assert query(db, "select person_id, job_category from dim_person order by person_id") == [
        ("P001", "service"), ("P002", "law_enforcement"), ("P003", "management")]
    assert query(db, "select doc_type, limit_days from fct_document where doc_id = 'DOC1'") == [("incoming", 5)]
    assert query(db, "select step_name from fct_document_step where doc_id = 'DOC2' order by step_no") == [
        ("register",), ("close",)]

    reasons = dict(query(db, "select coalesce(record_key, '<none>'), reason_code from quarantine "
                             "where source = 'hotline_12345'"))
    assert reasons == {"R2": "unknown_unit", "R3": "time_out_of_range", "R5": "closed_before_opened",
                       "<none>": "missing_key", "R6": "bad_timestamp", "R7": "wrong_type"}
    assert results["hotline_12345"].rows_rejected == 6 and results["hotline_12345"].rows_loaded == 2
    payload, reason = query(db, "select payload ->> '受理时间', reason from quarantine where record_key = 'R3'")[0]
    assert payload == "1900-01-01 00:00:00" and "placeholder" in reason

    received, category, satisfaction, limit_days = query(
        db, "select received_at, category, satisfaction, limit_days from fct_request where request_id = 'R4'")[0]
    assert received == datetime(2026, 3, 2, 9, 0, tzinfo=SH)
    assert (category, satisfaction, limit_days) == ("consultation", "satisfied", 13)
    assert query(db, "select started_at, ended_at from fct_suspension where item_id = 'R4'") == [
        (datetime(2026, 3, 3, 9, 0, tzinfo=SH), datetime(2026, 3, 4, 9, 0, tzinfo=SH))]
    assert query(db, "select new_due_at from fct_extension where item_id = 'R4'") == [
        (datetime(2026, 3, 20, 18, 0, tzinfo=SH),)]

    assert query(db, "select milestone_id, planned_date, progress_pct from fct_milestone order by 1") == [
        ("T1-N1", datetime(2026, 3, 10).date(), 50.0), ("T1-N2", datetime(2026, 4, 30).date(), 0.0)]
    assert query(db, "select record_key, reason_code from quarantine where source = 'milestones'") == [
        ("T2-N1", "impossible_time")]

    # Files were taken once and moved to done/ after the commit.
    assert sorted(p.name for p in (demo_inbox / "requests" / "done").iterdir()) == ["12345工单_20260302_100000.csv"]
    assert not list((demo_inbox / "requests").glob("*.csv"))
    assert (demo_inbox / "milestones" / "done" / "重点工作任务台账_20260302_100000.xlsx").exists()
    # The published snapshot has the data for readers.
    assert query(warehouse.current_link(db), "select count(*) from fct_request") == [(2,)]
    states = query(db, "select source, last_state, is_stale, rejected_last_run from source_status order by source")
    assert states == [("hotline_12345", "success", False, 6), ("milestones", "success", False, 1),
                      ("oa_documents", "success", False, 0), ("org", "success", False, 0)]


def test_every_record_is_kept_as_received_and_can_be_found(env, demo_inbox):
    runner.run(now=NOW)
    db = Path(env["XIAONENG_DB"])
    kept = query(db, "select source, label, format, encoding, first_record_no, records, location, sha256 "
                     "from raw_batch_file order by source, label")
    assert [(k[0], k[1], k[2], k[3], k[5]) for k in kept] == [
        ("hotline_12345", "12345工单_20260302_100000.csv", "csv", "gb18030", 8),
        ("milestones", "重点工作任务台账_20260302_100000.xlsx", "xlsx", None, 3),
        ("oa_documents", "oa_document", "parquet", None, 2),
        ("oa_documents", "oa_document_step", "parquet", None, 4),
        ("org", "org_person", "parquet", None, 3),
        ("org", "org_unit", "parquet", None, 4)]
    for *_, location, sha in kept:
        assert Path(location).is_file() and hashlib.sha256(Path(location).read_bytes()).hexdigest() == sha
    raw_dir = Path(env["XIAONENG_DB"]).parent / "raw"
    assert not list((raw_dir / ".incoming").iterdir())          # every new archive file was put in place
    assert all(Path(k[6]).is_relative_to(raw_dir / k[0]) for k in kept if k[2] == "parquet")
    # The inbox file is kept byte for byte in done/; a quarantined record is found in it by its number.
    location, first = next((k[6], k[4]) for k in kept if k[0] == "hotline_12345")
    assert Path(location) == demo_inbox / "requests" / "done" / "12345工单_20260302_100000.csv"
    (record_no,) = query(db, "select record_no from quarantine where record_key = 'R3'")[0]
    with open(location, encoding="gb18030", newline="") as fh:
        row = list(csv.DictReader(fh))[record_no - first]
    assert (row["工单编号"], row["受理时间"]) == ("R3", "1900-01-01 00:00:00")
    # Pulled records are kept as the source gave them, one Parquet file per batch, numbered the same way.
    location, first = next((k[6], k[4]) for k in kept if k[1] == "oa_document")
    assert query(db, "select doc_id, doc_type from read_parquet(?) order by doc_id", location) == [
        ("DOC1", "收文"), ("DOC2", "发文")]
    steps_first = next(k[4] for k in kept if k[1] == "oa_document_step")
    assert (first, steps_first) == (0, 2)               # record numbers run on through the run's batches


def test_second_run_changes_nothing(env, demo_inbox):
    runner.run(now=NOW)
    db = Path(env["XIAONENG_DB"])
    first = counts(db)
    kept_first = query(db, "select count(*), sum(records) from raw_batch_file")[0]
    results = runner.run(now=LATER)
    assert counts(db) == first
    assert query(db, "select count(*), sum(records) from raw_batch_file")[0] == kept_first
    assert all(r.rows_read == 0 and r.rows_loaded == 0 for r in results)
    # The same export dropped again (same content, new name) is recognised by its sha256 and not read.
    done = demo_inbox / "requests" / "done" / "12345工单_20260302_100000.csv"
    again = demo_inbox / "requests" / "12345工单_20260302_110000.csv"
    again.write_bytes(done.read_bytes())
    builders.settle(again)
    result = by_source(runner.run(["hotline_12345"], now=LATER))["hotline_12345"]
    assert result.rows_read == 0 and counts(db) == first
    assert (demo_inbox / "requests" / "done").joinpath(again.name).exists()


def test_changes_are_merged_with_history_and_cursor_advances(env, demo_inbox):
    runner.run(now=NOW)
    db = Path(env["XIAONENG_DB"])
    cursor_before = query(db, "select cursor_value from source_cursor where source = 'oa_documents.document'")[0][0]
    assert cursor_before == "2026-03-04T16:00:00+08:00"
    oa = sqlite3.connect(Path(env["XIAONENG_DEMO_DIR"]) / "oa.sqlite")
    with oa:
        oa.execute("update oa_document set closed_at = ?, updated_at = ? where doc_id = 'DOC1'",
                   ("2026-03-05T10:00:00+08:00", "2026-03-05T10:00:00+08:00"))
        oa.execute("insert into oa_document values ('DOC3','新文','收文','通知','D0101','P001',"
                   "'2026-03-05T09:00:00+08:00',2,null,'2026-03-05T10:00:00+08:00')")
        # Same update time as the new cursor, written after: read next time, not lost.
    oa.close()
    result = by_source(runner.run(["oa_documents"], now=LATER))["oa_documents"]
    assert (result.rows_read, result.rows_loaded) == (2, 2)
    assert query(db, "select closed_at from fct_document where doc_id = 'DOC1'") == [
        (datetime(2026, 3, 5, 10, 0, tzinfo=SH),)]
    before, after = query(db, "select before ->> 'closed_at', after ->> 'closed_at' from fct_change_history "
                              "where kind = 'document' and item_id = 'DOC1'")[0]
    assert before is None and after.startswith("2026-03-05")
    assert query(db, "select cursor_value from source_cursor where source = 'oa_documents.document'") == [
        ("2026-03-05T10:00:00+08:00",)]
    oa = sqlite3.connect(Path(env["XIAONENG_DEMO_DIR"]) / "oa.sqlite")
    with oa:
        oa.execute("insert into oa_document values ('DOC4','迟到','收文','通知','B01','P003',"
                   "'2026-03-05T09:30:00+08:00',2,null,'2026-03-05T10:00:00+08:00')")
    oa.close()
    result = by_source(runner.run(["oa_documents"], now=LATER))["oa_documents"]
    assert (result.rows_read, result.rows_loaded) == (1, 1)
    assert query(db, "select count(*) from fct_document") == [(4,)]


def test_newer_export_wins_and_older_does_not_overwrite(env, demo_inbox):
    runner.run(now=NOW)
    db = Path(env["XIAONENG_DB"])
    requests = demo_inbox / "requests"
    builders.write_requests_csv(requests, "20260303_100000", [
        builders.request_row("R1", 状态="已办结", 办结时间="2026-03-03 09:00:00", 满意度="不满意",
                             重办次数="1", 更新时间="2026-03-03 10:00:00")])
    builders.write_requests_csv(requests, "20260303_090000", [   # older content, arrives later
        builders.request_row("R1", 状态="办理中", 更新时间="2026-03-02 12:00:00")])
    result = by_source(runner.run(["hotline_12345"], now=LATER))["hotline_12345"]
    assert result.files == 2
    assert query(db, "select status, satisfaction, reopened_count from fct_request where request_id = 'R1'") == [
        ("已办结", "dissatisfied", 1)]
    assert query(db, "select count(*) from fct_change_history where item_id = 'R1'") == [(1,)]


def test_utf8_file_is_read_and_gbk_declared_file_that_is_not_gbk_is_rejected(env, demo_inbox):
    runner.run(now=NOW)
    db = Path(env["XIAONENG_DB"])
    requests = demo_inbox / "requests"
    # The hotline source declares gb18030; a UTF-8 file with Chinese text is not valid GB18030 text ...
    bad = builders.write_requests_csv(requests, "20260304_100000", [builders.request_row("R9")], encoding="utf-8")
    result = by_source(runner.run(["hotline_12345"], now=LATER))["hotline_12345"]
    assert result.state == "success" and result.files_rejected in (0, 1)
    rejected = requests / "rejected" / bad.name
    if result.files_rejected:
        assert rejected.exists() and "gb18030" in rejected.with_name(bad.name + ".reason.txt").read_text()
    else:
        # ... unless every byte happens to decode; then the text must still not be mangled silently.
        assert query(db, "select title from fct_request where request_id = 'R9'") == [("噪音扰民",)]


def test_auto_encoding_reads_utf8_and_gbk_alike(env, tmp_path):
    from pipelines.sources.inbox import readers

    for encoding in ("utf-8", "gbk", "gb18030"):
        path = builders.write_requests_csv(tmp_path / encoding, "20260301_000000",
                                           [builders.request_row("R1", 标题="噪音扰民·夜间施工")], encoding=encoding)
        table = readers.read_csv(path, "auto")
        assert table["标题"].to_pylist() == ["噪音扰民·夜间施工"], encoding
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes("工单编号\n".encode("utf-8") + b"\xff\xfe\xfd\x80\x81\n")
    with pytest.raises(readers.FileRejected, match="cannot decode"):
        readers.read_csv(garbage, "auto")


def test_half_written_and_temporary_files_are_left_alone(env, demo_inbox):
    requests = demo_inbox / "requests"
    runner.run(now=NOW)
    fresh = builders.write_requests_csv(requests, "20260305_100000", [builders.request_row("R20")], settled=False)
    (requests / ".12345工单_20260305_110000.csv.tmp").write_bytes(b"\xb9\xa4\xb5\xa5")
    (requests / "12345工单_20260305_120000.csv.part").write_bytes(b"partial")
    result = by_source(runner.run(["hotline_12345"], now=LATER))["hotline_12345"]
    assert result.files == 0 and fresh.exists()
    builders.settle(fresh)
    result = by_source(runner.run(["hotline_12345"], now=LATER))["hotline_12345"]
    assert result.files == 1 and result.rows_loaded == 1
    assert (requests / ".12345工单_20260305_110000.csv.tmp").exists()


def test_unreadable_file_is_rejected_with_reason_and_not_retried(env, demo_inbox):
    runner.run(now=NOW)
    milestones = demo_inbox / "milestones"
    broken = milestones / "重点工作任务台账_20260305_100000.xlsx"
    broken.write_bytes(b"this is not a workbook")
    builders.settle(broken)
    result = by_source(runner.run(["milestones"], now=LATER))["milestones"]
    assert result.state == "success" and result.files_rejected == 1
    moved = milestones / "rejected" / broken.name
    assert moved.exists() and "XLSX" in (milestones / "rejected" / (broken.name + ".reason.txt")).read_text()
    db = Path(env["XIAONENG_DB"])
    assert query(db, "select moved_to like '%rejected' from processed_file where file_name = ?", broken.name) == [
        (True,)]


def test_ledger_with_wrong_headers_is_rejected_not_failed(env, demo_inbox):
    milestones = demo_inbox / "milestones"
    path = milestones / "重点工作任务台账_20260305_100000.xlsx"
    import xlsxwriter
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("台账").write_row(0, 0, ["编号", "名称"])
    book.close()
    builders.settle(path)
    result = by_source(runner.run(["org", "milestones"], now=NOW))["milestones"]
    assert result.state == "success" and result.files_rejected == 1
    assert "任务编号" in (milestones / "rejected" / (path.name + ".reason.txt")).read_text()


def test_missing_demo_database_fails_the_run_and_keeps_last_good_data(env, demo_inbox):
    runner.run(now=NOW)
    db = Path(env["XIAONENG_DB"])
    Path(env["XIAONENG_DEMO_DIR"], "oa.sqlite").rename(Path(env["XIAONENG_DEMO_DIR"], "moved.sqlite"))
    result = by_source(runner.run(["oa_documents"], now=LATER))["oa_documents"]
    assert result.state == "failed" and "does not exist" in result.error
    assert query(db, "select count(*) from fct_document") == [(2,)]
    assert query(db, "select state, error like '%does not exist%' from pipeline_run "
                     "where pipeline = 'oa_documents' order by run_id desc limit 1") == [("failed", True)]
    status = {r["source"]: r for r in runner_freshness(db, LATER)}
    assert status["oa_documents"]["last_state"] == "failed"
    # The last success is an hour old and 15 minutes are expected: stale, and the failure is reported.
    assert status["oa_documents"]["is_stale"] is True
    assert status["oa_documents"]["last_success_at"] == NOW
    assert "does not exist" in status["oa_documents"]["last_error"]


def runner_freshness(db: Path, now: datetime) -> list[dict]:
    with warehouse.writer(db) as con:
        return runner.freshness(con, now)


def test_freshness_marks_sources_stale_after_their_expected_interval(env, demo_inbox):
    runner.run(now=NOW)
    db = Path(env["XIAONENG_DB"])
    soon = {r["source"]: r["is_stale"] for r in runner_freshness(db, NOW)}
    assert soon == {"org": False, "oa_documents": False, "hotline_12345": False, "milestones": False}
    later = {r["source"]: r["is_stale"] for r in runner_freshness(db, datetime(2026, 3, 5, 14, 0, tzinfo=SH))}
    assert later == {"org": True, "oa_documents": True, "hotline_12345": True, "milestones": False}
