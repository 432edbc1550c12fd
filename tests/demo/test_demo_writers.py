"""Writers of the demo sources: complete files only, GB18030 CSV, ledger XLSX, the OA database in one transaction."""
from __future__ import annotations

import datetime as dt
import os
import sqlite3

import fastexcel
import pandas as pd
import pyarrow as pa
import pytest

from demo import formats, writers
from tests.demo.cases import SH

AT = dt.datetime(2026, 3, 2, 10, 30, tzinfo=SH)


def request_frame(n: int = 3) -> pd.DataFrame:
    row = {c: "" for c in formats.REQUEST_COLUMNS}
    row.update({"工单编号": "20260302000001", "诉求类型": "投诉", "标题": "人民路阳光花园夜间施工噪音扰民",
                "受理时间": "2026-03-02 09:00:00", "承办单位编码": "B07", "办理时限(工作日)": "13", "状态": "办理中"})
    return pd.DataFrame([row] * n)


def test_csv_drops_are_gb18030_with_the_hotline_headers(tmp_path):
    path = writers.drop_csv(tmp_path, request_frame(), AT)
    assert path.name == "12345工单_20260302_103000.csv"
    data = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("gb18030")
    assert text.splitlines()[0].split(",") == list(formats.REQUEST_COLUMNS)
    assert "\r\n" in text and "夜间施工噪音扰民" in text
    assert pd.read_csv(path, encoding="gb18030", dtype=str).shape == (3, len(formats.REQUEST_COLUMNS))


def test_a_file_appears_only_when_complete(tmp_path, monkeypatch):
    seen = []
    real_replace = os.replace

    def checking_replace(src, dst):
        seen.append((os.path.basename(src), os.path.exists(dst),
                     len(pd.read_csv(src, encoding="gb18030", dtype=str))))
        real_replace(src, dst)

    monkeypatch.setattr(writers.os, "replace", checking_replace)
    writers.drop_csv(tmp_path, request_frame(500), AT)
    assert seen == [(".12345工单_20260302_103000.csv.part", False, 500)]


def test_a_failed_write_leaves_nothing_behind(tmp_path, monkeypatch):
    def broken_to_csv(self, handle, **kwargs):
        handle.write("工单编号,诉求类型\r\n")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken_to_csv)
    with pytest.raises(OSError, match="disk full"):
        writers.drop_csv(tmp_path, request_frame(), AT)
    assert list(tmp_path.iterdir()) == []


def test_a_second_drop_in_the_same_second_gets_the_next_second(tmp_path):
    first = writers.drop_csv(tmp_path, request_frame(), AT)
    second = writers.drop_csv(tmp_path, request_frame(), AT)
    assert (first.name, second.name) == ("12345工单_20260302_103000.csv", "12345工单_20260302_103001.csv")


def test_ledger_drops_have_one_sheet_with_text_and_numeric_progress(tmp_path):
    ledger = pd.DataFrame([["RW2026030201", "清河区老旧小区改造", "N01", "制定实施方案", "民生实事", "B08", "P100001",
                            "2026-03-09", "2026-04-30", "", 30, "2026-03-02 10:00:00"],
                           ["RW2026030201", "清河区老旧小区改造", "N02", "启动实施", "民生实事", "B08", "P100001",
                            "2026-05-01", "2026-06-30", "", "进行中", "2026-03-02 10:00:00"]],
                          columns=list(formats.LEDGER_COLUMNS))
    path = writers.drop_xlsx(tmp_path, ledger, AT)
    assert path.name == "重点工作任务台账_20260302_103000.xlsx"
    book = fastexcel.read_excel(path)
    assert book.sheet_names == ["台账"]
    first = book.load_sheet("台账", n_rows=1, eager=True)          # each column typed by its first row alone
    assert first.schema.names == list(formats.LEDGER_COLUMNS)
    assert first.schema.field("完成进度(%)").type == pa.float64()    # a number cell, not text
    row = first.to_pylist()[0]
    assert row["节点编号"] == "N01" and row["计划开始"] == "2026-03-09" and row["完成进度(%)"] == 30
    assert book.load_sheet("台账", dtypes="string", eager=True).column("完成进度(%)").to_pylist() == ["30", "进行中"]
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_oa_upserts_are_one_transaction_in_wal_mode(tmp_path):
    path = tmp_path / "oa.sqlite"
    units = pd.DataFrame({"unit_code": ["C", "B01"], "unit_name": ["江州市人民政府", "市人民政府办公室"],
                          "parent_code": [None, "C"], "unit_level": [1, 2],
                          "updated_at": ["2026-03-02T00:00:00+08:00"] * 2})
    writers.write_oa(path, units=units, state={"seed": 1})
    renamed = units.assign(unit_name=["江州市人民政府", "市政府办公室"], updated_at="2026-03-03T00:00:00+08:00")
    broken_people = pd.DataFrame({"person_id": ["P1"], "person_name": [None], "unit_code": ["C"],
                                  "job_category": ["管理类"], "difficulty": [1.0],
                                  "updated_at": ["2026-03-03T00:00:00+08:00"]})
    with pytest.raises(sqlite3.IntegrityError):
        writers.write_oa(path, units=renamed, persons=broken_people)
    with sqlite3.connect(path) as con:
        assert con.execute("pragma journal_mode").fetchone() == ("wal",)
        assert con.execute("select unit_name from org_unit where unit_code = 'B01'").fetchone() == ("市人民政府办公室",)
        assert con.execute("select count(*) from org_person").fetchone() == (0,)
    writers.write_oa(path, units=renamed)
    with sqlite3.connect(path) as con:
        assert con.execute("select unit_name, updated_at from org_unit where unit_code = 'B01'").fetchone() == (
            "市政府办公室", "2026-03-03T00:00:00+08:00")
        assert con.execute("select count(*) from org_unit").fetchone() == (2,)
    assert writers.read_state(path)[0] == {"seed": "1"}
