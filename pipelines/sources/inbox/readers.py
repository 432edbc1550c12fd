"""Read one file into an Arrow table of text columns as received; an unreadable file raises FileRejected."""
from __future__ import annotations

import csv
import gzip
import io
import json
from datetime import date, datetime, time as dtime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

ENCODINGS = ("utf-8", "gb18030")


class FileRejected(ValueError):
    """The whole file cannot be read; the message says why, for the reason file beside it."""


def unique_names(names: list[str]) -> list[str]:
    """Column names usable as keys: blanks named by position, repeats suffixed _2, _3 ..."""
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names):
        name = name.strip() or f"column{i + 1}"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return out


def decode(data: bytes, encoding: str = "auto") -> tuple[str, str]:
    """Text and the encoding used: a declared one strictly, else UTF-8 (BOM or not), then GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        data, candidates = data[3:], ("utf-8",)
    else:
        candidates = ENCODINGS if encoding == "auto" else (encoding,)
    problems = []
    for name in candidates:
        try:
            return data.decode(name), name
        except UnicodeDecodeError as exc:
            problems.append(f"not {name} (byte {exc.start}: {data[exc.start:exc.start + 4]!r})")
        except LookupError:
            raise FileRejected(f"unknown encoding {name!r}") from None
    raise FileRejected("cannot decode the file: " + "; ".join(problems))


def read_csv(path: Path, encoding: str = "auto", delimiter: str = ",") -> pa.Table:
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    bom = raw.startswith(b"\xef\xbb\xbf")
    if bom:
        raw = raw[3:]
    if encoding in ("utf-8", "utf8") or bom:
        used = "utf-8"                    # Arrow checks the UTF-8 itself while parsing: no second pass
    else:
        text, used = decode(raw, encoding)
        if used != "utf-8":
            raw = text.encode("utf-8")
        del text
    end = raw.find(b"\n")
    first = (raw if end < 0 else raw[:end]).rstrip(b"\r").decode("utf-8", errors="strict") if raw else ""
    header = next(csv.reader([first], delimiter=delimiter), [])
    if not header or all(not h.strip() for h in header):
        raise FileRejected("the file has no header line")
    names = unique_names(header)
    try:
        return pacsv.read_csv(
            io.BytesIO(raw),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        message = " ".join(str(exc).split())
        if "utf8" in message.lower() or "utf-8" in message.lower():
            raise FileRejected(f"not {used} text as declared: {message[:200]}") from None
        raise FileRejected(f"not a well-formed CSV file: {message[:300]}") from None
    except UnicodeDecodeError as exc:
        raise FileRejected(f"not {used} text as declared (byte {exc.start})") from None


def _cell_text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (date, dtime)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def read_xlsx(path: Path, sheet: str | None = None) -> pa.Table:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # noqa: BLE001 - calamine raises its own error types for broken files
        raise FileRejected(f"not a readable XLSX workbook: {' '.join(str(exc).split())[:200]}") from None
    names = book.sheet_names
    if sheet is not None and sheet not in names:
        raise FileRejected(f"no sheet named {sheet!r}; sheets are {', '.join(names)}")
    rows = book.get_sheet_by_name(sheet or names[0]).to_python(skip_empty_area=True)
    if not rows:
        raise FileRejected(f"sheet {sheet or names[0]!r} is empty")
    header = unique_names([_cell_text(h) or "" for h in rows[0]])
    body = [r for r in rows[1:] if any(c not in (None, "") for c in r)]
    columns = {name: pa.array([_cell_text(r[i]) if i < len(r) else None for r in body], pa.string())
               for i, name in enumerate(header)}
    return pa.table(columns)


def read_parquet(path: Path) -> pa.Table:
    try:
        return pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise FileRejected(f"not a readable Parquet file: {' '.join(str(exc).split())[:200]}") from None


def read_json(path: Path, items_path: str = "") -> pa.Table:
    """A JSON array of records (or the list at items_path), e.g. a saved API answer."""
    from pipelines.sources.fetch import records_table
    from pipelines.sources.json_api.client import dig

    text, _ = decode(path.read_bytes())
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileRejected(f"not valid JSON: {exc}") from None
    items = dig(body, items_path) if items_path else body
    if not isinstance(items, list) or not all(isinstance(r, dict) for r in items):
        raise FileRejected("not a JSON list of records")
    return records_table(items)


def format_of(path: Path) -> str:
    name = path.name.lower()
    for suffix, fmt in ((".xes.gz", "xes"), (".xes", "xes"), (".csv.gz", "csv"), (".csv", "csv"),
                        (".xlsx", "xlsx"), (".xlsm", "xlsx"), (".parquet", "parquet"), (".json", "json")):
        if name.endswith(suffix):
            return fmt
    raise FileRejected(f"unknown file type {path.suffix!r}; expected .csv, .xlsx, .parquet, .json, .xes")


def header_of(path: Path, fmt: str | None = None, encoding: str = "auto") -> list[str]:
    """The column names of a file without reading all of it (used to guess its mapping)."""
    fmt = fmt or format_of(path)
    if fmt == "csv":
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rb") as fh:
            head = fh.read(1 << 16)
        line = head.split(b"\n", 1)[0]
        text, _ = decode(line.rstrip(b"\r"), encoding) if line else ("", "")
        return unique_names(next(csv.reader([text]), []))
    if fmt == "parquet":
        return list(pq.read_schema(path).names)
    if fmt == "xlsx":
        return list(read_xlsx(path).column_names)
    if fmt == "json":
        return list(read_json(path).column_names)
    raise FileRejected(f"no header for format {fmt}")
