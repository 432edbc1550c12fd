"""Exports of the worklist: exactly the filtered rows (every page), as shown on screen, to CSV or Excel; audited."""
from __future__ import annotations

import io
from dataclasses import asdict
from datetime import date
from typing import Any, BinaryIO

import pandas as pd
import xlsxwriter

from dashboard import appdb, components, queries


def frame(scope: queries.Scope, filters: queries.Worklist, masked: bool, language: str) -> pd.DataFrame:
    """Every row matching the filters, in the on-screen order and columns (no paging)."""
    return components.items_frame(queries.worklist(scope, filters, limit=None), masked, language)


def csv_bytes(table: pd.DataFrame) -> bytes:
    # UTF-8 with a byte-order mark: Excel on Chinese Windows then opens it without garbling.
    return table.to_csv(index=False, float_format="%g").encode("utf-8-sig")


def write_xlsx(table: pd.DataFrame, out: BinaryIO | io.BytesIO, sheet: str) -> None:
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True, "bg_color": "#e5e7eb", "border": 1})
    ws = book.add_worksheet(sheet[:31])
    ws.write_row(0, 0, list(table.columns), bold)
    for number, values in enumerate(table.itertuples(index=False, name=None), start=1):
        ws.write_row(number, 0, ["" if v is None or (isinstance(v, float) and pd.isna(v)) else v for v in values])
    for col, name in enumerate(table.columns):
        width = max([len(str(name))] + [len(str(v)) for v in table.iloc[:200, col]]) if len(table) else len(name)
        ws.set_column(col, col, min(max(width * 1.6, 8), 60))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(table), 1), len(table.columns) - 1)
    book.close()


def describe(filters: queries.Worklist) -> dict[str, Any]:
    """The filters as plain JSON values, for the audit log."""
    out = {}
    for key, value in asdict(filters).items():
        if value in (None, (), "", False):
            continue
        out[key] = value.isoformat() if isinstance(value, date) else (list(value) if isinstance(value, tuple) else value)
    return out


def audit(viewer: Any, detail: dict[str, Any]) -> None:
    record = getattr(appdb, "audit", None)
    if record is not None:
        record(viewer, "export", detail)
