"""Writers into the demo source formats: the OA SQLite database, 12345 CSV drops, ledger XLSX drops, Parquet.

Every file appears complete or not at all: it is written under a hidden temporary name
('.<name>.part') in the target folder and renamed with os.replace when finished.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import xlsxwriter

SQL_DIR = Path(__file__).resolve().parent / "sql"
REQUEST_FILE = "12345工单_{stamp}.csv"
LEDGER_FILE = "重点工作任务台账_{stamp}.xlsx"
LEDGER_SHEET = "台账"
CSV_ENCODING = "gb18030"


def sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def connect_oa(path: Path) -> sqlite3.Connection:
    """The demo OA database with its tables, in WAL mode so readers never wait for the simulator."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=30, isolation_level=None)
    con.execute("pragma journal_mode = wal")
    con.execute("pragma busy_timeout = 30000")
    for schema_file in sorted((SQL_DIR / "schema").glob("*.sql")):
        con.execute(schema_file.read_text(encoding="utf-8"))
    return con


def _records(frame: pd.DataFrame) -> Iterator[tuple]:
    """Rows as tuples of plain Python values, missing cells as None."""
    columns = []
    for name in frame.columns:
        values = frame[name].to_numpy(dtype=object, copy=True)
        missing = pd.isna(frame[name]).to_numpy()
        values[missing] = None
        columns.append(values)
    return zip(*columns) if columns else iter(())


def write_oa(path: Path, *, units: pd.DataFrame | None = None, persons: pd.DataFrame | None = None,
             documents: pd.DataFrame | None = None, steps: pd.DataFrame | None = None,
             state: Mapping[str, str] | None = None, pending: Mapping[str, bytes] | None = None,
             stamp: str = "") -> dict[str, int]:
    """Upsert rows into the demo OA database (and the simulator's state) in one transaction."""
    tables = (("upsert_org_unit", units), ("upsert_org_person", persons),
              ("upsert_oa_document", documents), ("upsert_oa_document_step", steps))
    counts = {}
    con = connect_oa(path)
    try:
        con.execute("begin immediate")
        try:
            for statement, frame in tables:
                if frame is not None and len(frame):
                    con.executemany(sql(statement), _records(frame))
                    counts[statement.removeprefix("upsert_")] = len(frame)
            if state:
                con.executemany(sql("upsert_sim_state"), [(k, str(v)) for k, v in state.items()])
            if pending:
                con.executemany(sql("upsert_sim_pending"), [(k, v, stamp) for k, v in pending.items()])
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    finally:
        con.close()
    return counts


def read_state(path: Path) -> tuple[dict[str, str], dict[str, bytes]]:
    """The simulator's settings and unfinished-item frames, or two empty dicts for a database without them."""
    if not path.exists():
        return {}, {}
    con = sqlite3.connect(path, timeout=30)
    try:
        if not con.execute(sql("has_state"), ("sim_state",)).fetchall():
            return {}, {}
        state = dict(con.execute(sql("sim_state")).fetchall())
        pending = dict(con.execute(sql("sim_pending")).fetchall())
    finally:
        con.close()
    return state, pending


@contextlib.contextmanager
def _complete_file(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it to `target` only when the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.part")
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _free_name(folder: Path, pattern: str, at: dt.datetime) -> Path:
    """The file name for export time `at`; a later second when that name is taken."""
    while True:
        target = folder / pattern.format(stamp=at.strftime("%Y%m%d_%H%M%S"))
        if not target.exists():
            return target
        at += dt.timedelta(seconds=1)


def drop_csv(folder: Path, rows: pd.DataFrame, at: dt.datetime) -> Path:
    """A 12345 export into `folder`, GB18030-encoded with CRLF line ends as the hotline system writes it."""
    target = _free_name(folder, REQUEST_FILE, at)
    with _complete_file(target) as tmp:
        with open(tmp, "w", encoding=CSV_ENCODING, newline="") as fh:
            rows.to_csv(fh, index=False, lineterminator="\r\n")
    return target


def drop_xlsx(folder: Path, rows: pd.DataFrame, at: dt.datetime) -> Path:
    """A key-task ledger into `folder`: one sheet '台账', a header row, text cells except numeric progress."""
    target = _free_name(folder, LEDGER_FILE, at)
    with _complete_file(target) as tmp:
        workbook = xlsxwriter.Workbook(str(tmp), {"strings_to_numbers": False, "strings_to_formulas": False})
        try:
            sheet = workbook.add_worksheet(LEDGER_SHEET)
            bold = workbook.add_format({"bold": True})
            for col, name in enumerate(rows.columns):
                sheet.write_string(0, col, str(name), bold)
                sheet.set_column(col, col, 22 if "名称" in str(name) else 14)
            for r, record in enumerate(_records(rows), start=1):
                for col, value in enumerate(record):
                    if value is None or value == "":
                        continue
                    if isinstance(value, (int, float, np.integer, np.floating)):
                        sheet.write_number(r, col, float(value))
                    else:
                        sheet.write_string(r, col, str(value))
        finally:
            workbook.close()
    return target


def write_parquet(path: Path, frames: pd.DataFrame | Iterable[pd.DataFrame]) -> int:
    """Write one frame, or a stream of frames with the same columns, as one Parquet file; return the row count."""
    chunks = [frames] if isinstance(frames, pd.DataFrame) else frames
    rows = 0
    with _complete_file(path) as tmp:
        writer = None
        try:
            for chunk in chunks:
                table = pa.Table.from_pandas(chunk, preserve_index=False)
                if writer is None:
                    writer = pq.ParquetWriter(tmp, table.schema, compression="zstd")
                writer.write_table(table, row_group_size=1_000_000)
                rows += len(chunk)
        finally:
            if writer is not None:
                writer.close()
    return rows
