"""Small source systems for pipeline tests: the demo OA database, 12345 CSV exports and ledger workbooks."""
from __future__ import annotations

import csv
import io
import os
import sqlite3
from pathlib import Path

import xlsxwriter

OA_SCHEMA = (
    "create table if not exists org_unit (unit_code text primary key, unit_name text, parent_code text, "
    "unit_level int, updated_at text)",
    "create table if not exists org_person (person_id text primary key, person_name text, unit_code text, "
    "job_category text, difficulty real, updated_at text)",
    "create table if not exists oa_document (doc_id text primary key, title text, doc_type text, category text, "
    "unit_code text, handler_id text, received_at text, limit_days int, closed_at text, updated_at text)",
    "create table if not exists oa_document_step (doc_id text, step_no int, step_name text, handler_id text, "
    "unit_code text, started_at text, finished_at text, limit_days int, updated_at text, "
    "primary key (doc_id, step_no))",
)

T0 = "2026-03-02T09:00:00+08:00"
UNITS = [
    ("C", "示范市", None, 1, T0),
    ("B01", "市政务服务局", "C", 2, T0),
    ("B02", "市城管局", "C", 2, T0),
    ("D0101", "审批科", "B01", 3, T0),
]
PERSONS = [
    ("P001", "张三", "D0101", "服务类", 1.1, T0),
    ("P002", "李四", "B02", "执法类", 1.3, T0),
    ("P003", "王五", "B01", "管理类", 1.0, T0),
]
DOCUMENTS = [
    ("DOC1", "关于春耕的通知", "收文", "通知", "B01", "P003", "2026-03-02T09:15:00+08:00", 5, None,
     "2026-03-02T09:15:00+08:00"),
    ("DOC2", "城管执法报告", "发文", "报告", "B02", "P002", "2026-03-02T10:00:00+08:00", 3,
     "2026-03-04T16:00:00+08:00", "2026-03-04T16:00:00+08:00"),
]
STEPS = [
    ("DOC1", 1, "登记", "P003", "B01", "2026-03-02T09:15:00+08:00", "2026-03-02T09:30:00+08:00", 1,
     "2026-03-02T09:30:00+08:00"),
    ("DOC1", 2, "拟办", "P003", "B01", "2026-03-02T09:30:00+08:00", None, 2, "2026-03-02T09:30:00+08:00"),
    ("DOC2", 1, "登记", "P002", "B02", "2026-03-02T10:00:00+08:00", "2026-03-02T10:10:00+08:00", 1,
     "2026-03-02T10:10:00+08:00"),
    ("DOC2", 2, "办结", "P002", "B02", "2026-03-02T10:10:00+08:00", "2026-03-04T16:00:00+08:00", 3,
     "2026-03-04T16:00:00+08:00"),
]


def write_oa(path: Path, units=UNITS, persons=PERSONS, documents=DOCUMENTS, steps=STEPS) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path)
    with con:
        for statement in OA_SCHEMA:
            con.execute(statement)
        con.executemany("insert or replace into org_unit values (?,?,?,?,?)", units)
        con.executemany("insert or replace into org_person values (?,?,?,?,?,?)", persons)
        con.executemany("insert or replace into oa_document values (?,?,?,?,?,?,?,?,?,?)", documents)
        con.executemany("insert or replace into oa_document_step values (?,?,?,?,?,?,?,?,?)", steps)
    con.close()
    return path


REQUEST_HEADER = ["工单编号", "诉求类型", "标题", "受理时间", "派单时间", "承办单位编码", "承办人工号", "首次响应时间",
                  "办结时间", "办理时限(工作日)", "满意度", "重办次数", "状态", "挂起开始", "挂起结束", "延期至", "更新时间"]


def request_row(request_id: str, **values: str) -> dict[str, str]:
    row = dict.fromkeys(REQUEST_HEADER, "")
    row.update({"工单编号": request_id, "诉求类型": "投诉", "标题": "噪音扰民", "受理时间": "2026-03-02 09:00:00",
                "派单时间": "2026-03-02 09:30:00", "承办单位编码": "B02", "承办人工号": "P002",
                "办理时限(工作日)": "13", "重办次数": "0", "状态": "办理中", "更新时间": "2026-03-02 09:30:00"})
    row.update(values)
    return row


def write_requests_csv(folder: Path, stamp: str, rows: list[dict[str, str]], encoding: str = "gb18030",
                       settled: bool = True) -> Path:
    """Write an export as the hotline does: to a temporary name, then renamed when complete."""
    folder.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=REQUEST_HEADER, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    target = folder / f"12345工单_{stamp}.csv"
    tmp = folder / f".{target.name}.tmp"
    tmp.write_bytes(buf.getvalue().encode(encoding))
    os.replace(tmp, target)
    if settled:
        settle(target)
    return target


def settle(path: Path, age_s: float = 600) -> None:
    """Make a file look complete: last written a while ago."""
    st = path.stat()
    os.utime(path, (st.st_atime - age_s, st.st_mtime - age_s))


LEDGER_HEADER = ["任务编号", "任务名称", "节点编号", "节点名称", "任务类别", "责任单位编码", "责任人工号", "计划开始",
                 "计划完成", "实际完成", "完成进度(%)", "更新时间"]


def write_ledger(folder: Path, stamp: str, rows: list[list], settled: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"重点工作任务台账_{stamp}.xlsx"
    book = xlsxwriter.Workbook(str(target))
    sheet = book.add_worksheet("台账")
    sheet.write_row(0, 0, LEDGER_HEADER)
    for i, row in enumerate(rows, start=1):
        sheet.write_row(i, 0, row)
    book.close()
    if settled:
        settle(target)
    return target
