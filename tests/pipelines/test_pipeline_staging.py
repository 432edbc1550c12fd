"""The set-based load path: files read as received, strict transcoding, SQL typing and in-batch duplicates."""
from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
from datetime import date, datetime, time as dtime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import xlsxwriter

from pipelines import runner, warehouse
from pipelines.sources import guess
from pipelines.sources.inbox import readers
from tests.pipelines import builders

NOW = datetime(2026, 3, 5, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
FORMATS = list(runner.DEFAULT_TIME_FORMATS)


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def query(db: Path, sql: str, *params) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        con.execute("set TimeZone = 'Asia/Shanghai'")
        return con.execute(sql, list(params)).fetchall()


# ---------------------------------------------------------------------------------------------------------
# Reading files.

def test_csv_fields_arrive_exactly_as_written(tmp_path):
    path = write(tmp_path / "a.csv", 'id,text,empty,quoted_empty,note\r\n'
                                     '1, spaced ,,"","a ""quote"", a comma"\r\n'
                                     '2,"two\nlines",,x,工单\r\n'.encode("utf-8"))
    table = readers.read_csv(path, "utf-8")
    assert table.to_pylist() == [
        {"id": "1", "text": " spaced ", "empty": "", "quoted_empty": "", "note": 'a "quote", a comma'},
        {"id": "2", "text": "two\nlines", "empty": "", "quoted_empty": "x", "note": "工单"}]


def test_mixed_line_endings_are_read_alike(tmp_path):
    rows = ["1,a,", "2,b,c"]
    consistent = write(tmp_path / "crlf.csv", ("x,y,z\r\n" + "\r\n".join(rows) + "\r\n").encode())
    mixed = write(tmp_path / "mixed.csv", ("x,y,z\n" + "\r\n".join(rows) + "\r\n").encode())   # header ends in \n
    assert readers.read_csv(mixed, "utf-8").to_pylist() == readers.read_csv(consistent, "utf-8").to_pylist() == [
        {"x": "1", "y": "a", "z": ""}, {"x": "2", "y": "b", "z": "c"}]
    gbk_mixed = write(tmp_path / "gbk_mixed.csv", "x,y\n1,工单\r\n2,派单\r\n".encode("gb18030"))
    assert readers.read_csv(gbk_mixed, "auto").to_pylist() == [{"x": "1", "y": "工单"}, {"x": "2", "y": "派单"}]


@pytest.mark.parametrize("body", ["a,b\n1,2\n3,4,5\n", "a,b\n1,2\n3\n"], ids=["extra-field", "missing-field"])
def test_malformed_csv_is_rejected_not_mangled(tmp_path, body):
    with pytest.raises(readers.FileRejected, match="well-formed CSV"):
        readers.read_csv(write(tmp_path / "bad.csv", body.encode()), "utf-8")


def test_gb18030_is_transcoded_strictly_across_chunk_boundaries(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "_CHUNK", 7)          # every multi-byte character meets a chunk edge somewhere
    # 𠀀 and 㐀 need GB18030's 4-byte sequences (not GBK); · is where GBK and GB18030 tables once differed.
    titles = ["噪音扰民·夜间施工", "𠀀㐀€", "ascii only", "工单" * 20]
    text = "id,title\r\n" + "".join(f"{i},{t}\r\n" for i, t in enumerate(titles))
    path = write(tmp_path / "gb.csv", text.encode("gb18030"))
    for encoding in ("gb18030", "auto"):
        assert readers.read_csv(path, encoding)["title"].to_pylist() == titles, encoding


@pytest.mark.parametrize("delimiter", [",", "\t", "|"], ids=["comma", "tab", "pipe-can-be-a-trail-byte"])
def test_gb18030_fields_decode_as_the_whole_text_would(tmp_path, monkeypatch, delimiter):
    monkeypatch.setattr(readers, "_CHUNK", 11)
    # 丂 and 乗 end in the ASCII bytes '@' and '|'; 𠀀 and 㐀 are 4-byte sequences with ASCII digits inside.
    rows = [["id", "title", "note", "empty"],
            ["1", '噪音"扰民"，夜间', "a\r\nb 丂乗", ""],
            ["2", "𠀀㐀€·", " 工单 ", ""],
            ["3", "plain", 'say "hi"', "x"],
            ["4", "\x00 NUL kept", "", ""]]
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path = write(tmp_path / "gb.csv", buf.getvalue().encode("gb18030"))
    expected = [dict(zip(rows[0], r)) for r in rows[1:]]
    assert readers.read_csv(path, "gb18030", delimiter).to_pylist() == expected
    without_nul = write(tmp_path / "gb2.csv", buf.getvalue().replace("\x00", "0").encode("gb18030"))
    expected[-1]["title"] = "0 NUL kept"
    table = readers.read_csv(without_nul, "auto", delimiter)
    assert table.to_pylist() == expected and readers.description(table) == (None, "gb18030")


def test_undecodable_byte_is_named_by_its_position(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "_CHUNK", 8)
    good = "id,title\r\n1,工单\r\n".encode("gb18030")
    path = write(tmp_path / "bad.csv", good + b"2,\xff\xff\r\n")
    with pytest.raises(readers.FileRejected, match=rf"not gb18030 \(byte {len(good) + 2}:"):
        readers.read_csv(path, "gb18030")
    with pytest.raises(readers.FileRejected, match=r"cannot decode the file: not utf-8 \(byte \d+.*; not gb18030"):
        readers.read_csv(path, "auto")


def test_other_declared_encodings_go_through_an_incremental_decoder(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "_CHUNK", 5)          # odd: UTF-16 code units are split between chunks
    path = write(tmp_path / "u16.csv", codecs.BOM_UTF16_LE + "id,title\r\n1,工单\r\n".encode("utf-16-le"))
    assert readers.read_csv(path, "utf-16")["title"].to_pylist() == ["工单"]


def test_gzipped_csv_is_read(tmp_path):
    import gzip

    path = write(tmp_path / "a.csv.gz", gzip.compress("id,t\n1,工单\n".encode("gb18030")))
    assert readers.read_csv(path, "auto").to_pylist() == [{"id": "1", "t": "工单"}]


def test_xlsx_cells_become_text_and_empty_rows_are_dropped(tmp_path):
    path = tmp_path / "book.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("台账")
    sheet.write_row(0, 0, ["编号", "进度", "日期", "备注"])
    sheet.write_row(1, 0, ["T1", 50, "2026-03-01", ""])
    sheet.write_row(3, 0, ["T2", 12.5, None, "注"])                 # row 3 (index 2) stays empty
    sheet.write_datetime(3, 2, datetime(2026, 3, 2, 9, 30), book.add_format({"num_format": "yyyy-mm-dd hh:mm"}))
    book.close()
    assert readers.read_xlsx(path).to_pylist() == [
        {"编号": "T1", "进度": "50", "日期": "2026-03-01", "备注": None},
        {"编号": "T2", "进度": "12.5", "日期": "2026-03-02 09:30:00", "备注": "注"}]


def xlsx_book(path: Path, header: list, rows: list[list], sheet_name: str = "台账") -> Path:
    """A workbook of one sheet from rows of Python values (None: no cell), dates and times formatted as Excel's."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet(sheet_name)
    formats = {date: book.add_format({"num_format": "yyyy-mm-dd"}),
               datetime: book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
               dtime: book.add_format({"num_format": "hh:mm"})}
    for r, row in enumerate([header, *rows]):
        for c, value in enumerate(row):
            if isinstance(value, (date, dtime)):
                sheet.write_datetime(r, c, value, formats[type(value)])
            elif isinstance(value, str) and value.startswith("="):
                sheet.write_formula(r, c, value, None, "#N/A")            # an error cell, as =NA() leaves
            elif isinstance(value, str):
                sheet.write_string(r, c, value)                           # text, even when it looks like a number
            elif value is not None:
                sheet.write(r, c, value)
    book.close()
    return path


def test_xlsx_columns_of_one_type_each_read_as_the_cells_show(tmp_path):
    path = xlsx_book(tmp_path / "book.xlsx",
                     ["编号", "数量", "数量", "比例", "日期", "时间", "完成", "备注", "得分", None],
                     [["T1", 3, 7, 0.1, date(2026, 3, 1), datetime(2026, 3, 2, 9, 30), True, "中文备注", 95, None],
                      ["T2", -2, 1e20, 1 / 3, date(2026, 3, 5), datetime(2026, 3, 2, 9, 30, 15, 500000), False,
                       None, "N/A", "x"],
                      [None] * 10,
                      ["T3", 0, 1234567890123, 0.7999999999999999, None, datetime(2026, 3, 2), True, " 留 空 ",
                       "=NA()", None],
                      ["T4", None, 12.0, 1e-05, date(2026, 12, 31), dtime(9, 30), None, "", "nan", None]])
    table = readers.read_xlsx(path)
    assert table.column_names == ["编号", "数量", "数量_2", "比例", "日期", "时间", "完成", "备注", "得分", "column10"]
    assert readers.header_of(path) == table.column_names
    assert table.schema.types == [pa.string()] * 10
    assert table.to_pylist() == [
        {"编号": "T1", "数量": "3", "数量_2": "7", "比例": "0.1", "日期": "2026-03-01", "时间": "2026-03-02 09:30:00",
         "完成": "true", "备注": "中文备注", "得分": "95", "column10": None},
        {"编号": "T2", "数量": "-2", "数量_2": "100000000000000000000", "比例": "0.3333333333333333",
         "日期": "2026-03-05", "时间": "2026-03-02 09:30:15.500000", "完成": "false", "备注": None, "得分": "N/A",
         "column10": "x"},
        {"编号": "T3", "数量": "0", "数量_2": "1234567890123", "比例": "0.7999999999999999", "日期": None,
         "时间": "2026-03-02", "完成": "true", "备注": " 留 空 ", "得分": None, "column10": None},
        {"编号": "T4", "数量": None, "数量_2": "12", "比例": "1e-05", "日期": "2026-12-31", "时间": "09:30:00",
         "完成": None, "备注": None, "得分": "nan", "column10": None}]


def test_xlsx_mixed_columns_keep_every_cell_as_written(tmp_path):
    # A hand-kept ledger: progress as numbers or words, completion as dates or words, text that looks like numbers.
    path = xlsx_book(tmp_path / "台账.xlsx", ["任务编号", "完成进度(%)", "实际完成", "编号"],
                     [["RW1", 30, date(2026, 3, 9), "007"],
                      ["RW2", "进行中", "未完成", 7],
                      ["RW3", 12.5, datetime(2026, 3, 9, 17, 45), "1.0"],
                      [None, None, None, None],
                      ["RW4", True, "2026-03-10 00:00:00", 1 / 3],
                      ["RW5", -0.0, dtime(8, 0), "0.00001"],
                      ["RW6", 1e-05, None, 1e20],
                      ["RW7", "=NA()", datetime(2026, 3, 9, 0, 0, 0, 250000), "true"]])
    assert readers.read_xlsx(path).to_pylist() == [
        {"任务编号": "RW1", "完成进度(%)": "30", "实际完成": "2026-03-09", "编号": "007"},
        {"任务编号": "RW2", "完成进度(%)": "进行中", "实际完成": "未完成", "编号": "7"},
        {"任务编号": "RW3", "完成进度(%)": "12.5", "实际完成": "2026-03-09 17:45:00", "编号": "1.0"},
        {"任务编号": "RW4", "完成进度(%)": "true", "实际完成": "2026-03-10 00:00:00", "编号": "0.3333333333333333"},
        {"任务编号": "RW5", "完成进度(%)": "0", "实际完成": "08:00:00", "编号": "0.00001"},
        {"任务编号": "RW6", "完成进度(%)": "1e-05", "实际完成": None, "编号": "100000000000000000000"},
        {"任务编号": "RW7", "完成进度(%)": None, "实际完成": "2026-03-09 00:00:00.250000", "编号": "true"}]


def test_xlsx_header_of_dates_numbers_and_repeats_is_named_as_its_cells_show(tmp_path):
    path = xlsx_book(tmp_path / "book.xlsx", [2024, 1.5, date(2026, 3, 1), True, "a", "a", "a_1", " a ", ""],
                     [list(range(9))])
    names = ["2024", "1.5", "2026-03-01", "true", "a", "a_2", "a_1", "a_3", "column9"]
    assert readers.read_xlsx(path).column_names == readers.header_of(path) == names


@pytest.mark.parametrize("header, sheet, reason", [
    (None, None, "not a readable XLSX workbook"),
    ([], None, "sheet '台账' is empty"),
    (["编号"], "汇总", "no sheet named '汇总'; sheets are 台账"),
], ids=["not_a_workbook", "empty_sheet", "missing_sheet"])
def test_an_unreadable_xlsx_workbook_or_sheet_is_rejected_with_the_reason(tmp_path, header, sheet, reason):
    path = tmp_path / "book.xlsx"
    if header is None:
        path.write_bytes(b"PK\x03\x04 this is not a workbook")
    else:
        xlsx_book(path, header, [])
    with pytest.raises(readers.FileRejected, match=re.escape(reason)):
        readers.read_xlsx(path, sheet)


# ---------------------------------------------------------------------------------------------------------
# Typing in SQL.

@pytest.fixture
def con():
    connection = duckdb.connect()
    connection.execute("set TimeZone = 'Asia/Shanghai'")
    runner.prepare(connection)
    yield connection
    connection.close()


def test_clean_is_nullif_trim_for_every_character(con):
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    con.register("t", pa.table({"v": pa.array(chars + [c + "x" + c for c in chars] + ["", None], pa.string())}))
    assert con.execute("select count(*) from t where clean(v) is distinct from nullif(trim(v), '')").fetchall() == [
        (0,)]


@pytest.mark.parametrize("zone, offset_us", [
    ("Asia/Shanghai", 8 * 3600 * 10**6), ("UTC", 0), ("Asia/Kolkata", 19800 * 10**6),
    ("America/New_York", None), ("Europe/Amsterdam", None)])
def test_a_zone_has_a_fixed_offset_only_when_it_never_changes(zone, offset_us):
    assert runner.utc_offset_us(zone) == offset_us


@pytest.mark.parametrize("text, zone, instant", [
    ("2026-03-02 09:15:00", "Asia/Shanghai", datetime(2026, 3, 2, 1, 15, tzinfo=timezone.utc)),
    ("2026/03/02 09:15", "Asia/Shanghai", datetime(2026, 3, 2, 1, 15, tzinfo=timezone.utc)),
    (" 2026-03-02 09:15:00 ", "Asia/Shanghai", datetime(2026, 3, 2, 1, 15, tzinfo=timezone.utc)),
    ("2026-03-02T09:15:00+08:00", "America/New_York", datetime(2026, 3, 2, 1, 15, tzinfo=timezone.utc)),
    ("2026-03-02T09:15:00-05:00", "Asia/Shanghai", datetime(2026, 3, 2, 14, 15, tzinfo=timezone.utc)),
    ("2026-03-02 09:15:00+0800", "UTC", datetime(2026, 3, 2, 1, 15, tzinfo=timezone.utc)),
    ("2026-03-02T01:15:00Z ", "Asia/Shanghai", datetime(2026, 3, 2, 1, 15, tzinfo=timezone.utc)),
    ("2026-07-01 12:00:00", "America/New_York", datetime(2026, 7, 1, 16, 0, tzinfo=timezone.utc)),
    ("2026-01-01 12:00:00", "America/New_York", datetime(2026, 1, 1, 17, 0, tzinfo=timezone.utc)),
    ("昨天上午", "Asia/Shanghai", None),
], ids=lambda v: v if isinstance(v, str) else None)
def test_times_become_instants(con, text, zone, instant):
    got = con.execute("select parse_time($t, $f, $z, $o)",
                      {"t": text, "f": FORMATS, "z": zone, "o": runner.utc_offset_us(zone)}).fetchall()[0][0]
    assert got == instant


def test_fixed_offset_arithmetic_agrees_with_the_zone_database(con):
    hours = [f"{2000 + h % 101}-{1 + h % 12:02d}-{1 + h % 28:02d} {h % 24:02d}:{h % 60:02d}:00"
             for h in range(0, 101 * 12 * 24, 7)]
    con.register("t", pa.table({"v": hours}))
    assert con.execute("select count(*) from t where parse_time(v, $f, 'Asia/Shanghai', $o) "
                       "is distinct from parse_time(v, $f, 'Asia/Shanghai', null)",
                       {"f": FORMATS, "o": runner.utc_offset_us("Asia/Shanghai")}).fetchall() == [(0,)]


# ---------------------------------------------------------------------------------------------------------
# A whole load.

def import_requests(folder: Path, rows: list[dict], encoding: str = "utf-8"):
    path = builders.write_requests_csv(folder, "20260302_100000", rows, encoding=encoding)
    return runner.import_files([path], guess.source_for([path]), now=NOW)


def test_within_one_batch_the_newest_copy_of_a_record_wins(env, tmp_path):
    runner.run(["org"], now=NOW)
    result = import_requests(tmp_path / "in", [
        builders.request_row("R1", 标题="old", 更新时间="2026-03-02 10:00:00"),
        builders.request_row("R1", 标题="new", 更新时间="2026-03-02 11:00:00"),
        builders.request_row("R1", 标题="older", 更新时间="2026-03-02 09:00:00"),
        builders.request_row("R2", 标题="first undated", 更新时间=""),
        builders.request_row("R2", 标题="last undated", 更新时间=""),
        builders.request_row("R3", 标题="bad copy", 受理时间="1900-01-01 00:00:00", 更新时间="2026-03-03 09:00:00"),
        builders.request_row("R3", 标题="good copy", 更新时间="2026-03-02 09:00:00"),
    ])
    db = Path(env["XIAONENG_DB"])
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (7, 3, 4)
    assert query(db, "select request_id, title from fct_request order by 1") == [
        ("R1", "new"), ("R2", "last undated"), ("R3", "good copy")]
    assert query(db, "select record_key, reason_code, reason, payload ->> '标题' from quarantine order by 1, 4") == [
        ("R1", "duplicate", "a newer record with the same request_id is in the same batch", "old"),
        ("R1", "duplicate", "a newer record with the same request_id is in the same batch", "older"),
        ("R2", "duplicate", "a newer record with the same request_id is in the same batch", "first undated"),
        ("R3", "time_out_of_range",
         "received_at 1900-01-01 00:00:00 is before 2000 or after 2100 (a placeholder date?)", "bad copy")]


def test_an_imported_file_is_kept_byte_for_byte_in_the_raw_archive(env, tmp_path):
    runner.run(["org"], now=NOW)
    import_requests(tmp_path / "in", [builders.request_row(" R1 ", 标题=" 噪音 ", 挂起开始="")], encoding="gb18030")
    db = Path(env["XIAONENG_DB"])
    source = tmp_path / "in" / "12345工单_20260302_100000.csv"
    (first, records, fmt, encoding, location, sha), = query(
        db, "select first_record_no, records, format, encoding, location, sha256 from raw_batch_file "
            "where kind = 'requests'")
    assert (first, records, fmt, encoding) == (0, 1, "csv", "gb18030")
    kept = Path(location)
    assert source.exists() and kept != source                   # left where it was, and copied
    assert kept.read_bytes() == source.read_bytes() and hashlib.sha256(kept.read_bytes()).hexdigest() == sha
    assert kept.is_relative_to(Path(env["XIAONENG_DB"]).parent / "raw")
    with open(kept, encoding="gb18030", newline="") as fh:
        record, = csv.DictReader(fh)
    assert list(record) == builders.REQUEST_HEADER
    assert (record["工单编号"], record["标题"], record["挂起开始"]) == (" R1 ", " 噪音 ", "")
    assert query(db, "select request_id, title from fct_request") == [("R1", "噪音")]


def test_pulled_records_are_kept_as_parquet_with_their_types(env, tmp_path):
    import sqlite3

    from pipelines.sources import config as cfg

    runner.run(["org"], now=NOW)
    rows = [builders.request_row("S1", 标题=" 噪音 ", 更新时间="2026-03-02 09:00:00"),
            builders.request_row("S2", 承办单位编码="NOPE", 更新时间="2026-03-02 09:30:00"),
            builders.request_row("S3", 更新时间="2026-03-02 10:00:00")]
    columns = [f'"{h}" integer' if h == "办理时限(工作日)" else f'"{h}" text' for h in builders.REQUEST_HEADER]
    oa = tmp_path / "hotline.sqlite"
    with sqlite3.connect(oa) as con:
        con.execute(f"create table orders ({', '.join(columns)}, updated_at text)")
        con.executemany(f"insert into orders values ({', '.join('?' * (len(columns) + 1))})",
                        [[*(int(v) if k == "办理时限(工作日)" else v for k, v in r.items()), r["更新时间"]] for r in rows])
    source = cfg.parse_source("orders_db", {
        "type": "sql", "kind": "requests", "url": f"sqlite://{oa}",
        "streams": [{"entity": "request", "table": "orders", "primary_key": ["工单编号"], "cursor": "updated_at",
                     "mapping": "mappings/hotline_12345.toml"}]}, Path(env["XIAONENG_CONFIG"]))
    with warehouse.writer() as con:
        result = runner.run_source(con, source, now=NOW)
    assert (result.state, result.rows_loaded, result.rows_rejected) == ("success", 2, 1)
    db = Path(env["XIAONENG_DB"])
    (run_id, first, records, fmt, location, sha), = query(
        db, "select run_id, first_record_no, records, format, location, sha256 from raw_batch_file "
            "where source = 'orders_db'")
    assert (first, records, fmt) == (0, 3, "parquet")
    assert hashlib.sha256(Path(location).read_bytes()).hexdigest() == sha
    # The rejected record is in quarantine as JSON, and in the kept file at its number: the same record.
    (record_no, payload), = query(db, "select record_no, payload from quarantine where run_id = ?", run_id)
    kept = pq.read_table(location).slice(record_no - first, 1).to_pylist()[0]
    assert kept == json.loads(payload)
    assert (kept["工单编号"], kept["承办单位编码"], kept["办理时限(工作日)"]) == ("S2", "NOPE", 13)
    assert pq.read_schema(location).field("办理时限(工作日)").type == pa.int64()
    assert pq.read_table(location).column("标题").to_pylist() == [" 噪音 ", "噪音扰民", "噪音扰民"]
    # Nothing new: nothing more is kept.
    with warehouse.writer() as con:
        again = runner.run_source(con, source, now=NOW)
    assert (again.state, again.rows_read) == ("success", 0)
    assert query(db, "select count(*) from raw_batch_file where source = 'orders_db'") == [(1,)]


def test_the_raw_archive_belongs_to_its_warehouse_unless_set(env, tmp_path, monkeypatch):
    other = tmp_path / "other" / "wh.duckdb"
    runner.run(["org"], now=NOW, db=other, lights=False, publish=False)
    kept = [Path(location) for (location,) in query(other, "select location from raw_batch_file")]
    assert len(kept) == 2 and all(p.is_file() and p.is_relative_to(other.parent / "raw") for p in kept)
    assert not (Path(env["XIAONENG_DB"]).parent / "raw").exists()
    monkeypatch.setenv("XIAONENG_RAW_DIR", str(tmp_path / "archive"))
    runner.run(["org"], now=NOW, lights=False, publish=False)
    kept = [Path(location) for (location,) in query(Path(env["XIAONENG_DB"]), "select location from raw_batch_file")]
    assert len(kept) == 2 and all(p.is_file() and p.is_relative_to(tmp_path / "archive" / "org") for p in kept)


def test_typed_parquet_values_are_kept_with_their_types(env, tmp_path):
    runner.run(["org"], now=NOW)
    table = pa.table({**{h: pa.array([v], pa.string()) for h, v in builders.request_row("P1").items()},
                      "办理时限(工作日)": pa.array([13], pa.int64()),
                      "受理时间": pa.array([datetime(2026, 3, 2, 9, 0)], pa.timestamp("us"))})
    path = tmp_path / "orders.parquet"
    pq.write_table(table, path)
    result = runner.import_files([path], guess.source_for([path]), now=NOW)
    db = Path(env["XIAONENG_DB"])
    assert result.rows_loaded == 1
    (location,), = query(db, "select location from raw_batch_file where kind = 'requests'")
    assert pq.read_table(location).equals(table)
    assert query(db, "select limit_days, received_at from fct_request") == [
        (13, datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))]


def test_typed_times_are_checked_like_text_ones(env, tmp_path):
    runner.run(["org"], now=NOW)
    rows = [builders.request_row(f"T{i}") for i in range(4)]
    utc = timezone.utc
    zoned = [datetime(2026, 3, 2, 1, 0, tzinfo=utc), datetime(2026, 3, 2, 1, 0, tzinfo=utc),
             datetime(1900, 1, 1, tzinfo=utc), datetime(2026, 3, 2, 1, 0, tzinfo=utc)]
    closed = [None, datetime(2026, 3, 2, 18, 0), None, datetime(2026, 3, 1, 8, 0)]      # naive: local wall time
    table = pa.table({**{h: pa.array([r[h] for r in rows], pa.string()) for h in rows[0]},
                      "受理时间": pa.array(zoned, pa.timestamp("us", "UTC")),
                      "办结时间": pa.array(closed, pa.timestamp("us"))})
    path = tmp_path / "orders.parquet"
    pq.write_table(table, path)
    result = runner.import_files([path], guess.source_for([path]), now=NOW)
    db = Path(env["XIAONENG_DB"])
    assert (result.rows_loaded, result.rows_rejected) == (2, 2), result.error
    sh = ZoneInfo("Asia/Shanghai")
    assert query(db, "select request_id, received_at, closed_at from fct_request order by 1") == [
        ("T0", datetime(2026, 3, 2, 9, 0, tzinfo=sh), None),
        ("T1", datetime(2026, 3, 2, 9, 0, tzinfo=sh), datetime(2026, 3, 2, 18, 0, tzinfo=sh))]
    rejected = query(db, "select record_key, reason_code, reason from quarantine order by 1")
    assert [(key, code) for key, code, _ in rejected] == [("T2", "time_out_of_range"),
                                                          ("T3", "closed_before_opened")]
    assert "received_at 1900-01-01" in rejected[0][2]


def test_a_rejected_case_of_an_event_log_is_quarantined_with_its_own_record(env, tmp_path):
    header = "case:concept:name,concept:name,time:timestamp,case:startdate,case:enddate\r\n"
    events = [f"C{i:02d},register,2026-03-02 09:00:00,2026-03-02 08:00:00,2026-03-02 12:00:00" for i in range(60, 0, -1)]
    events[37] = "C23,register,2026-03-03 09:00:00,2026-03-03 08:00:00,2026-03-01 08:00:00"    # ends before it starts
    path = write(tmp_path / "log.csv", (header + "\r\n".join(events) + "\r\n").encode())
    result = runner.import_files([path], guess.source_for([path]), now=NOW)
    db = Path(env["XIAONENG_DB"])
    assert result.state == "success"
    assert query(db, "select count(*), count(*) filter (where doc_id = 'C23') from fct_document") == [(59, 0)]
    (key, code, payload), = query(db, "select record_key, reason_code, payload from quarantine")
    assert (key, code) == ("C23", "closed_before_opened")
    assert json.loads(payload)["doc_id"] == "C23"


def test_a_broken_gzip_file_is_rejected(tmp_path):
    import gzip

    whole = gzip.compress("id,t\n1,工单\n".encode("utf-8") * 100)
    for name, data in (("cut.csv.gz", whole[: len(whole) // 2]), ("not.csv.gz", b"not gzip at all")):
        with pytest.raises(readers.FileRejected, match="gzip"):
            readers.read_csv(write(tmp_path / name, data), "auto")
