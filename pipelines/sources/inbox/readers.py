"""Read one file into an Arrow table of text columns as received; an unreadable file raises FileRejected."""
from __future__ import annotations

import codecs
import csv
import functools
import gzip
import io
import json
import zlib
from datetime import date, datetime, time as dtime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

ENCODINGS = ("utf-8", "gb18030")


class FileRejected(ValueError):
    """The whole file cannot be read; the message says why, for the reason file beside it."""


_FORMAT, _ENCODING = b"xiaoneng.format", b"xiaoneng.encoding"


def described(table: pa.Table, fmt: str | None = None, encoding: str | None = None) -> pa.Table:
    """The table noting how its file was read (format, text encoding) in its schema metadata; no data is copied."""
    meta = dict(table.schema.metadata or {})
    if fmt is not None:
        meta[_FORMAT] = fmt.encode()
    if encoding is not None:
        meta[_ENCODING] = encoding.encode()
    return table.replace_schema_metadata(meta)


def description(table: pa.Table) -> tuple[str | None, str | None]:
    """The format and text encoding its reader noted on a table (None when not noted)."""
    meta = table.schema.metadata or {}
    fmt, encoding = meta.get(_FORMAT), meta.get(_ENCODING)
    return (fmt.decode() if fmt else None), (encoding.decode() if encoding else None)


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


_CHUNK = 1 << 20                     # transcoding reads this many bytes at a time (then up to the next newline)
_BOM = b"\xef\xbb\xbf"


class _NotUtf8(ValueError):
    """The text is not UTF-8."""


def _open_bytes(path: Path):
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")


def _first_line(path: Path) -> bytes:
    with _open_bytes(path) as fh:
        head = fh.read(1 << 16)
    if head.startswith(_BOM):
        head = head[3:]
    return head.split(b"\n", 1)[0].rstrip(b"\r")


def _header_names(first: str, delimiter: str) -> list[str]:
    header = next(csv.reader([first], delimiter=delimiter), [])
    if not header or all(not h.strip() for h in header):
        raise FileRejected("the file has no header line")
    return unique_names(header)


def _arrow_csv(data: Path | pa.Buffer, names: list[str], delimiter: str, column_type: pa.DataType) -> pa.Table:
    """Arrow's parallel CSV reader with the header line skipped (the names are given): every field as
    `column_type` (text or bytes) exactly as written, an empty field as empty, quoted fields may hold line ends."""
    return pacsv.read_csv(
        str(data) if isinstance(data, Path) else pa.BufferReader(data),
        read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 20),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(column_types={n: column_type for n in names},
                                             strings_can_be_null=False, quoted_strings_can_be_null=False))


def _parse_utf8(data: Path | pa.Buffer, names: list[str], delimiter: str) -> pa.Table:
    """Arrow's parallel CSV reader: RFC 4180 quoting, fields (quoted or not) as text exactly as written, an empty
    field as empty text; a row with too many or too few fields rejects the file. The header line is skipped (the
    names are given), and with it a BOM."""
    try:
        return _arrow_csv(data, names, delimiter, pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        message = " ".join(str(exc).split())
        if "utf8" in message.lower() or "utf-8" in message.lower():
            raise _NotUtf8(message[:200]) from None
        raise FileRejected(f"not a well-formed CSV file: {message[:300]}") from None


def _read_utf8(path: Path, delimiter: str, data: pa.Buffer | None = None) -> pa.Table:
    """A UTF-8 file (or its UTF-8 text already in memory, `data`), parsed by Arrow in parallel."""
    if data is None:
        first = _first_line(path)
    else:
        head = data.slice(0, min(data.size, 1 << 16)).to_pybytes().removeprefix(_BOM)
        first = head.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        names = _header_names(first.decode("utf-8"), delimiter) if first else []
    except UnicodeDecodeError:
        raise _NotUtf8("the header line is not UTF-8") from None
    if not names:
        raise FileRejected("the file has no header line")
    if data is None and path.name.lower().endswith(".gz"):
        with _open_bytes(path) as fh:
            data = pa.py_buffer(fh.read())        # Python's gzip, so that a broken file is named as such
    return _parse_utf8(path if data is None else data, names, delimiter)


def _decode_chunk(chunk: bytes, encoding: str) -> str:
    if encoding == "gb18030":
        # Python's gbk codec decodes every 2-byte sequence it knows exactly as gb18030 does, twice as fast;
        # gb18030 proper is needed only for its 4-byte sequences and the codes gbk lacks.
        try:
            return chunk.decode("gbk")
        except UnicodeDecodeError:
            pass
    return chunk.decode(encoding)


def transcode(path: Path, encoding: str) -> pa.Buffer:
    """The file's text as UTF-8 in memory, decoded strictly in 1 MB chunks; raises FileRejected naming the first
    undecodable byte.

    GB18030 and GBK chunks end at a newline byte, which never occurs inside their multi-byte
    sequences; other encodings go through an incremental decoder that carries partial sequences over.
    """
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise FileRejected(f"unknown encoding {encoding!r}") from None
    by_lines = name in ("gb18030", "gbk")
    decoder = codecs.getincrementaldecoder(name)("strict")
    offset = 0                       # source bytes decoded so far, to name the position of a bad byte
    carry = b""
    out = io.BytesIO()
    with _open_bytes(path) as src:
        while True:
            block = src.read(_CHUNK)
            final = not block
            data = carry + block
            carry = b""
            if by_lines and not final:
                end = data.rfind(b"\n") + 1
                if end == 0:
                    carry = data
                    continue
                data, carry = data[:end], data[end:]
            try:
                text = _decode_chunk(data, name) if by_lines else decoder.decode(data, final)
            except UnicodeDecodeError as exc:
                raise FileRejected(f"cannot decode the file: not {encoding} "
                                   f"(byte {offset + exc.start}: {data[exc.start:exc.start + 4]!r})") from None
            out.write(text.encode("utf-8"))
            offset += len(data)
            if final:
                return pa.py_buffer(out.getbuffer())


def _utf8_problem(path: Path) -> str:
    """Where a file stops being UTF-8 (read only when it is neither UTF-8 nor GB18030, to say so)."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    offset = 0
    with _open_bytes(path) as fh:
        while True:
            block = fh.read(_CHUNK)
            try:
                decoder.decode(block, not block)
            except UnicodeDecodeError as exc:
                return f"not utf-8 (byte {offset + exc.start}: {block[exc.start:exc.start + 4]!r})"
            if not block:
                return "not utf-8"
            offset += len(block)


def read_csv(path: Path, encoding: str = "auto", delimiter: str = ",") -> pa.Table:
    """A CSV file (plain or .gz) as text columns, every field as received; the encoding is never guessed loosely.

    UTF-8 (declared, with a BOM, or tried first under `auto`) is parsed as it is; any other encoding is
    first transcoded to UTF-8 in memory, strictly. The encoding used is noted on the table.
    """
    try:
        return _read_csv(path, encoding, delimiter)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise FileRejected(f"not a readable gzip file: {' '.join(str(exc).split())[:200]}") from None


def _read_csv(path: Path, encoding: str, delimiter: str) -> pa.Table:
    bom = _first_bytes(path, 3) == _BOM
    declared = encoding.lower().replace("_", "-")
    if declared in ("utf-8", "utf8") or bom:
        try:
            return described(_read_utf8(path, delimiter), encoding="utf-8")
        except _NotUtf8 as exc:
            raise FileRejected(f"not utf-8 text as declared: {exc}") from None
    if declared == "auto":
        try:
            return described(_read_utf8(path, delimiter), encoding="utf-8")
        except _NotUtf8:
            pass
        try:
            return _read_transcoded(path, "gb18030", delimiter)
        except FileRejected as exc:
            if not str(exc).startswith("cannot decode"):
                raise
            gb = str(exc).removeprefix("cannot decode the file: ")
            raise FileRejected(f"cannot decode the file: {_utf8_problem(path)}; {gb}") from None
    return _read_transcoded(path, encoding, delimiter)


def _read_transcoded(path: Path, encoding: str, delimiter: str) -> pa.Table:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise FileRejected(f"unknown encoding {encoding!r}") from None
    table = _read_by_field(path, name, delimiter) if name in ("gb18030", "gbk") else None
    if table is not None:
        return described(table, encoding=name)
    data = transcode(path, encoding)
    try:
        return described(_read_utf8(path, delimiter, data), encoding=name)
    except _NotUtf8 as exc:             # cannot happen after a strict decode; said plainly if it does
        raise FileRejected(f"not {encoding} text as declared: {exc}") from None


def _read_by_field(path: Path, encoding: str, delimiter: str) -> pa.Table | None:
    """GB18030 or GBK text parsed as bytes, then decoded strictly column by column; None when the whole file must
    be transcoded first instead (a byte that does not decode, whose position that names; a NUL byte; a delimiter
    that can be part of a character; a column of more than 2 GB).

    Every byte of a multi-byte GB18030 character is 0x30 or above, so the bytes that make the CSV layout
    (delimiter, quote, line ends) are never part of a character: the fields are the same whether the text is
    decoded before or after they are split, and only the columns that are not plain ASCII need decoding.
    """
    if len(delimiter) != 1 or ord(delimiter) >= 0x30:
        return None
    first = _first_line(path)
    try:
        names = _header_names(_decode_chunk(first, encoding).removeprefix("\ufeff"), delimiter) if first else []
    except UnicodeDecodeError:
        return None
    if not names:
        raise FileRejected("the file has no header line")
    if path.name.lower().endswith(".gz"):
        with _open_bytes(path) as fh:
            source: Path | pa.Buffer = pa.py_buffer(fh.read())
    else:
        source = path
    try:
        table = _arrow_csv(source, names, delimiter, pa.binary())
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise FileRejected(f"not a well-formed CSV file: {' '.join(str(exc).split())[:300]}") from None
    columns = []
    for name in names:
        column = _decode_column(table[name], encoding)
        if column is None:
            return None
        columns.append(column)
    return pa.table(dict(zip(names, columns)))


def _decode_column(column: pa.ChunkedArray, encoding: str) -> pa.Array | None:
    """A column of GB18030/GBK bytes as text: ASCII as it is, anything else decoded in one go with NUL between
    the values; None when it does not decode, holds a NUL byte itself or is too big for one array."""
    try:
        values = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
        as_text = values.view(pa.string())          # not yet valid text: only checked byte by byte below
        if not len(values) or pc.all(pc.string_is_ascii(as_text)).as_py():
            return as_text
        joined = pc.binary_join(pa.ListArray.from_arrays(pa.array([0, len(values)], pa.int32()), values), b"\0")
        text = _decode_chunk(joined[0].as_py(), encoding).encode("utf-8")
        whole = pa.StringArray.from_buffers(1, pa.array([0, len(text)], pa.int32()).buffers()[1], pa.py_buffer(text))
        decoded = pc.split_pattern(whole, "\0").flatten()
    except (UnicodeDecodeError, pa.ArrowInvalid, pa.ArrowCapacityError):
        return None
    return decoded if len(decoded) == len(values) else None


def _first_bytes(path: Path, n: int) -> bytes:
    with _open_bytes(path) as fh:
        return fh.read(n)


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


def _text_column(values: list) -> pa.Array:
    """One sheet column as text: strings as they are, other cells as _cell_text writes them, empty as null."""
    try:
        column = pa.array(values, pa.string())
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        column = pa.array([_cell_text(v) for v in values], pa.string())   # numbers, dates: cell by cell
    empty = pc.equal(column, "")
    return pc.if_else(empty, pa.scalar(None, pa.string()), column) if pc.any(empty).as_py() else column


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
    body = rows[1:]
    width = len(header)
    if set(map(len, body)) - {width}:
        body = [(list(r) + [None] * width)[:width] for r in body]
    columns = [_text_column(list(values)) for values in zip(*body)] if body else \
        [pa.array([], pa.string()) for _ in header]
    table = pa.table(dict(zip(header, columns)))
    if table.num_rows:
        blank = functools.reduce(pc.and_, [pc.is_null(c) for c in table.columns])
        if pc.any(blank).as_py():
            table = table.filter(pc.invert(blank))          # empty rows inside the sheet's area are not records
    return table


def read_parquet(path: Path) -> pa.Table:
    try:
        return pq.ParquetFile(path).read()
    except (pa.ArrowInvalid, OSError) as exc:
        raise FileRejected(f"not a readable Parquet file: {' '.join(str(exc).split())[:200]}") from None


def read_json(path: Path, items_path: str = "") -> pa.Table:
    """A JSON array of records (or the list at items_path), e.g. a saved API answer."""
    from pipelines.sources.fetch import records_table
    from pipelines.sources.json_api.client import dig

    text, used = decode(path.read_bytes())
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileRejected(f"not valid JSON: {exc}") from None
    items = dig(body, items_path) if items_path else body
    if not isinstance(items, list) or not all(isinstance(r, dict) for r in items):
        raise FileRejected("not a JSON list of records")
    return described(records_table(items), encoding=used)


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
