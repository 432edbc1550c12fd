"""Read one file into an Arrow table of text columns as received; an unreadable file raises FileRejected."""
from __future__ import annotations

import codecs
import csv
import functools
import gzip
import io
import json
import logging
import re
import zlib
from datetime import datetime
from pathlib import Path

import fastexcel
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from pipelines.sources import unique_names as sources_unique

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
    return sources_unique([name.strip() or f"column{i + 1}" for i, name in enumerate(names)])


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


# fastexcel logs every column without a single value before reading it as text, which is what is wanted here.
logging.getLogger("fastexcel.types.dtype").setLevel(logging.ERROR)

_NO_TEXT = pa.scalar(None, pa.string())
_TRUE_FALSE = pa.array(["true", "false"])
_EXCEL_DAY_ONE = pa.scalar(datetime(1900, 1, 1), pa.timestamp("ms"))     # a time of day alone comes out before it


def _number_text(values: pa.Array) -> pa.Array:
    """Numbers as text: whole ones without a fraction ("3", not "3.0"), others as Python's repr writes them."""
    values = pc.cast(values, pa.float64())
    whole = pc.fill_null(pc.and_(pc.equal(pc.floor(values), values), pc.less(pc.abs(values), 2.0 ** 63)), False)
    text = pc.if_else(whole, pc.cast(pc.cast(pc.if_else(whole, values, 0.0), pa.int64()), pa.string()),
                      pc.cast(values, pa.string()))
    # Arrow writes the shortest digits, as repr does, but uses an exponent at other magnitudes (1e-05 as 0.00001,
    # 80648736633557.11 as 8.064873663355711e+13): Python writes those few.
    odd = pc.or_(pc.or_(pc.match_substring(text, "e"), pc.less(pc.abs(values), 1e-4)), pc.invert(pc.is_finite(values)))
    odd = pc.fill_null(pc.and_not(odd, whole), False)
    if not pc.any(odd).as_py():
        return text
    fixed = [str(int(v)) if v.is_integer() else repr(v) for v in values.filter(odd).to_pylist()]
    return pc.replace_with_mask(text, odd, pa.array(fixed, pa.string()))


def _datetime_text(values: pa.Array) -> pa.Array:
    """Dates and times in ISO form: "2026-03-02 09:30:00" (".500000" with a fraction of a second), "2026-03-02" at
    midnight, "09:30:00" for a time of day alone."""
    values = pc.cast(values, pa.timestamp("ms"))                    # as fastexcel reads them
    if pc.any(pc.not_equal(pc.millisecond(values), 0)).as_py():
        text = pc.cast(values, pa.string())                         # "2026-03-02 09:30:15.500", ".000" as well
        text = pc.replace_substring_regex(pc.replace_substring_regex(text, r"\.000$", ""), r"(\.\d{3})$", r"\1000")
    else:
        text = pc.cast(pc.cast(values, pa.timestamp("s")), pa.string())
    day = pc.if_else(pc.ends_with(text, " 00:00:00"), pc.utf8_slice_codeunits(text, 0, 10), text)
    return pc.if_else(pc.less(values, _EXCEL_DAY_ONE), pc.utf8_slice_codeunits(text, 11, 30), day)


def _text_column(values: pa.Array) -> pa.Array:
    """A column of a sheet as text: strings as they are, true/false, numbers and dates as _number_text and
    _datetime_text write them; empty cells (and empty text) null."""
    if pa.types.is_floating(values.type):
        text = _number_text(values)
    elif pa.types.is_timestamp(values.type):
        text = _datetime_text(values)
    elif pa.types.is_duration(values.type):         # a [h]:mm cell, rare: as Python writes a timedelta
        text = pa.array([None if v is None else str(v) for v in values.to_pylist()], pa.string())
    else:                                           # text, true/false, ISO dates, integers, no value at all
        text = pc.cast(values, pa.string())
    empty = pc.equal(text, "")
    return pc.if_else(empty, _NO_TEXT, text) if pc.any(empty).as_py() else text


def _only(values: pa.Array, mask: pa.Array) -> pa.Array:
    """`values` where `mask` holds, null elsewhere."""
    return pc.if_else(mask, values, pa.scalar(None, values.type))


def _typed_columns(book: fastexcel.ExcelReader, name: str) -> tuple[list, list[pa.Array]] | None:
    """The sheet's columns (fastexcel's column infos, texts) when each holds one type of cell: text, numbers,
    dates or true/false; None when a column mixes them."""
    try:
        sheet = book.load_sheet(name, schema_sample_rows=None, dtype_coercion="strict")
    except (fastexcel.UnsupportedColumnTypeCombinationError, fastexcel.CalamineCellError):
        return None                                 # mixed types, or an error cell (#NAME?) that has no type
    batch, errors = sheet.to_arrow_with_errors()
    texts = [_text_column(c) for c in batch.columns]
    # A column of numbers, dates or true/false may also hold error cells (#N/A) and words that fastexcel takes for
    # "no value" (NA, N/A, null, NaN ...), which do not convert, or convert to NaN: those cells are read as text.
    odd = {e.position[1] for e in errors.errors} if errors else set()
    odd |= {i for i, c in enumerate(batch.columns) if pa.types.is_floating(c.type) and pc.any(pc.is_nan(c)).as_py()}
    reread = sorted(i for i in odd if not pa.types.is_string(batch.column(i).type))
    if reread:
        columns = sheet.selected_columns
        strings = book.load_sheet(name, dtypes="string", use_columns=[columns[i].absolute_index for i in reread],
                                  eager=True)
        for i, words in zip(reread, strings.columns):
            values = batch.column(i)
            typed = pc.is_valid(values)
            if pa.types.is_floating(values.type):
                typed = pc.fill_null(pc.and_not(typed, pc.is_nan(values)), False)
            texts[i] = pc.if_else(typed, texts[i], _text_column(words))
    return sheet.selected_columns, texts


def _mixed_columns(book: fastexcel.ExcelReader, name: str) -> tuple[list, list[pa.Array]]:
    """The sheet's columns (fastexcel's column infos, texts) cell by cell, whatever types a column mixes, as a
    ledger's column of numbers and words does.

    The sheet is read four times: as text, true/false, numbers and dates. Only numbers and true/false cells read
    as true/false, and a true/false cell's text is "true" or "false"; a cell that reads as a date but not as
    true/false is a date or a time (a duration cell too, which is then written as a time); any other cell is text,
    or an error cell, which is empty.
    """
    sheet = book.load_sheet(name, dtypes="boolean")           # lazy, for its column infos; eager reads are faster
    flags = sheet.to_arrow().columns
    strings, numbers, moments = (book.load_sheet(name, dtypes=dtype, eager=True).columns
                                 for dtype in ("string", "float", "datetime"))
    texts = []
    for words, flag, number, moment in zip(strings, flags, numbers, moments):
        is_number = pc.fill_null(pc.and_not(pc.is_valid(flag), pc.is_in(words, _TRUE_FALSE)), False)
        is_moment = pc.and_(pc.is_null(flag), pc.is_valid(moment))
        text = pc.if_else(is_number, _text_column(_only(number, is_number)), _text_column(words))
        texts.append(pc.if_else(is_moment, _text_column(_only(moment, is_moment)), text))
    return sheet.selected_columns, texts


def _header(book: fastexcel.ExcelReader, name: str, columns: list) -> list[str]:
    """Column names from the first row with a value, as fastexcel read them unless it may have changed one (a
    repeated name gets _1, _2 ...; an empty, date or true/false cell a made-up name; a number is written by Rust,
    which keeps the sign of -0 and writes 1e-05 as 0.00001): then that row is read again on its own."""
    seen: set[str] = set()
    for column in columns:
        stem, _, suffix = column.name.rpartition("_")
        if column.column_name_from != "looked_up" or (stem in seen and suffix.isdigit()) \
                or re.fullmatch(r"-0|-?0\.0000\d*", column.name):
            return _first_row(book, name)
        seen.add(column.name)
    return unique_names([c.name for c in columns])


def _first_row(book: fastexcel.ExcelReader, name: str) -> list[str]:
    """The sheet's first row with a value, each cell as text, as column names."""
    try:
        row = book.load_sheet(name, header_row=None, n_rows=1, eager=True)
    except fastexcel.CalamineCellError:             # an error cell (#NAME?) has no type: the row read as text
        row = book.load_sheet(name, header_row=None, n_rows=1, dtypes="string", eager=True)
    return unique_names([_text_column(c)[0].as_py() or "" for c in row.columns])


def _problem(exc: Exception) -> str:
    return " ".join(str(exc).splitlines()[0].split())[:200] if str(exc) else type(exc).__name__


def _open_sheet(path: Path, sheet: str | None) -> tuple[fastexcel.ExcelReader, str]:
    try:
        book = fastexcel.read_excel(path)
    except fastexcel.FastExcelError as exc:
        raise FileRejected(f"not a readable XLSX workbook: {_problem(exc)}") from None
    names = book.sheet_names
    if sheet is not None and sheet not in names:
        raise FileRejected(f"no sheet named {sheet!r}; sheets are {', '.join(names)}")
    if not names:
        raise FileRejected("the workbook has no sheets")
    return book, sheet or names[0]


def read_xlsx(path: Path, sheet: str | None = None) -> pa.Table:
    """A sheet of a workbook (the first unless named) as text columns: its first row with a value names them, each
    cell as _text_column writes it, empty rows are not records."""
    book, name = _open_sheet(path, sheet)
    try:
        columns, texts = _typed_columns(book, name) or _mixed_columns(book, name)
        header = _header(book, name, columns)
    except fastexcel.FastExcelError as exc:
        raise FileRejected(f"not a readable XLSX sheet {name!r}: {_problem(exc)}") from None
    if not header:
        raise FileRejected(f"sheet {name!r} is empty")
    table = pa.table(dict(zip(header, texts)))
    if table.num_rows:
        blank = functools.reduce(pc.and_, [pc.is_null(c) for c in table.columns])
        if pc.any(blank).as_py():
            table = table.filter(pc.invert(blank))          # empty rows inside the sheet's area are not records
    return table


def _xlsx_header(path: Path) -> list[str]:
    """The column names of a workbook's first sheet, as read_xlsx gives them, without converting its rows."""
    book, name = _open_sheet(path, None)
    try:
        header = _first_row(book, name)
    except fastexcel.FastExcelError as exc:
        raise FileRejected(f"not a readable XLSX sheet {name!r}: {_problem(exc)}") from None
    if not header:
        raise FileRejected(f"sheet {name!r} is empty")
    return header


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
        return _xlsx_header(path)
    if fmt == "json":
        return list(read_json(path).column_names)
    raise FileRejected(f"no header for format {fmt}")
