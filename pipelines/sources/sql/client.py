"""Read tables or queries from a relational database into Arrow, incrementally by an update-time cursor.

PostgreSQL (and the servers that speak its protocol) is read with the ADBC driver, which fetches the
result as binary COPY straight into Arrow; MySQL/MariaDB and SQLite with connectorx. Set a source's
`reader = "connectorx"` for a PostgreSQL-compatible server that cannot COPY the result of a query.

The cursor and the backfill bounds are written into the query text (connectorx has no bind
parameters, and one query text serves both readers): they are checked against a strict pattern
(digits, letters, ':', '+', '-', '.', space) first, and they come from our own cursor table or a
parsed command-line date, never from the source's data unchecked. Table and column names come from
sources.toml and must be plain identifiers.
"""
from __future__ import annotations

import queue
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

import connectorx as cx
import pyarrow as pa

from pipelines.sources import Batch, ExtractContext, SourceError
from pipelines.sources.config import Source, Stream, expand

SOURCE_OPTIONS = {
    "url": "connection URL, e.g. postgresql://user:${OA_DB_PASSWORD}@host:5432/db, mysql://..., sqlite:///path",
    "retries": "attempts after the first when the database cannot be reached (default 2)",
    "backoff_s": "first wait between attempts in seconds, doubled each time (default 1)",
    "connect_timeout_s": "seconds to wait for the server to accept a connection (default 10)",
    "reader": "adbc (default for postgresql://) or connectorx (default for mysql:// and sqlite://)",
    "query_timeout_s": "seconds the server may spend on a pull's query before it cancels it (adbc; default 900)",
    "batch_rows": "records per batch of an adbc read (default 1000000): a large pull is loaded batch by batch, the "
                  "next one read while the last loads",
}
BATCH_ROWS = 1_000_000
QUERY_TIMEOUT_S = 900
READERS = ("adbc", "connectorx")
REQUIRED_OPTIONS = ("url",)
STREAM_OPTIONS = {
    "table": "table (or schema.table) to read",
    "query": "a SELECT to read instead of a table; the cursor filter is applied around it",
}

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")
_LITERAL = re.compile(r"^[0-9A-Za-z:+\-. ]{1,64}$")


def _literal(value: str, what: str) -> str:
    if not _LITERAL.match(value):
        raise SourceError(f"{what} {value!r} is not a plain time value; refusing to put it into a query")
    return f"'{value}'"


def query_for(stream: Stream, cursor: str | None, until: str | None) -> str:
    table = stream.options.get("table")
    query = stream.options.get("query")
    if bool(table) == bool(query):
        raise SourceError(f"stream {stream.name}: give either table or query")
    if table and not _IDENT.match(table):
        raise SourceError(f"stream {stream.name}: {table!r} is not a plain table name")
    base = f"select * from {table}" if table else f"select * from ({query}) as q"
    conditions = []
    if stream.cursor:
        if not _IDENT.match(stream.cursor):
            raise SourceError(f"stream {stream.name}: cursor {stream.cursor!r} is not a plain column name")
        # Inclusive: records written later with the same update time are not missed; the runner
        # drops the ones it already took at exactly this value.
        if cursor is not None:
            conditions.append(f"{stream.cursor} >= {_literal(cursor, 'cursor')}")
        if until is not None:
            conditions.append(f"{stream.cursor} < {_literal(until, 'until')}")
    # No order: the batch is taken whole in one transaction, and its highest cursor value is computed from it.
    return base + (f" where {' and '.join(conditions)}" if conditions else "")


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(//[^:/@]+):[^@/]*@", r"\1:***@", url)


class _Unreachable(Exception):
    """The server did not answer (refused, timed out): worth another attempt."""


def _preflight(url: str, timeout_s: int) -> None:
    """Log in once with the plain driver: a wrong password or database fails in a second with the server's
    own words, where connectorx's pool would keep retrying for half a minute."""
    parts = urlsplit(url)
    scheme = parts.scheme.split("+")[0]
    try:
        if scheme in ("postgres", "postgresql"):
            import psycopg

            try:
                psycopg.connect(url.split("?")[0], connect_timeout=timeout_s).close()
            except psycopg.OperationalError as exc:
                text = " ".join(str(exc).split())
                if any(w in text.lower() for w in ("refused", "timeout", "timed out", "could not connect")):
                    raise _Unreachable(text) from None
                raise SourceError(text) from None
        elif scheme == "mysql":
            import pymysql

            try:
                pymysql.connect(host=parts.hostname or "localhost", port=parts.port or 3306,
                                user=unquote(parts.username or ""), password=unquote(parts.password or ""),
                                database=parts.path.lstrip("/") or None, connect_timeout=timeout_s).close()
            except pymysql.err.OperationalError as exc:
                code = exc.args[0] if exc.args else 0
                if code in (2002, 2003, 2006, 2013):
                    raise _Unreachable(str(exc)) from None
                raise SourceError(" ".join(str(exc).split())) from None
        elif scheme == "sqlite":
            # connectorx silently creates a missing SQLite file; a missing database is a source that is down.
            path = Path(unquote(parts.path))
            if not path.is_file():
                raise SourceError(f"SQLite database {path} does not exist")
    except SourceError as exc:
        password = parts.password or ""
        message = str(exc).replace(unquote(password), "***") if password else str(exc)
        raise SourceError(f"{redact(url)}: {message[:300]}") from None


def reader_for(url: str, chosen: str | None) -> str:
    if chosen is None:
        return "adbc" if urlsplit(url).scheme.split("+")[0] in ("postgres", "postgresql") else "connectorx"
    if chosen not in READERS:
        raise SourceError(f"reader {chosen!r} is not one of {', '.join(READERS)}")
    if chosen == "adbc" and urlsplit(url).scheme.split("+")[0] not in ("postgres", "postgresql"):
        raise SourceError("reader adbc reads PostgreSQL only; use connectorx for this database")
    return chosen


class _Stream:
    """An ADBC cursor whose result is read as a stream of record batches; closing it closes the connection."""

    def __init__(self, conn, cursor) -> None:
        self.conn, self.cursor = conn, cursor
        self.reader = cursor.fetch_record_batch()

    def close(self) -> None:
        try:
            self.cursor.close()
        finally:
            self.conn.close()


def _open_adbc(url: str, query: str, timeout_s: int, query_timeout_s: int) -> _Stream:
    """The query run through libpq's binary COPY, its result ready to be read. A server that stalls or takes
    longer than query_timeout_s cancels the query itself (statement_timeout), so a slow source fails the run."""
    import adbc_driver_postgresql.dbapi as adbc

    parts = urlsplit(url)
    options = dict(parse_qsl(parts.query))
    options.setdefault("connect_timeout", str(timeout_s))
    options["options"] = f"{options.get('options', '')} -c statement_timeout={query_timeout_s * 1000}".strip()
    uri = urlunsplit(parts._replace(scheme="postgresql", query=urlencode(options, quote_via=quote)))   # %20, not +
    conn = adbc.connect(uri, autocommit=True)
    try:
        cursor = conn.cursor()
        cursor.execute(query)
        return _Stream(conn, cursor)
    except BaseException:
        conn.close()
        raise


def _failure(url: str, exc: BaseException) -> SourceError:
    """The driver's message in one line, without the password."""
    password = unquote(urlsplit(url).password or "")
    message = " ".join(str(exc).split())
    if password:
        message = message.replace(password, "***")
    return SourceError(f"{redact(url)}: {message[:300]}")


def read(url: str, query: str, retries: int, backoff_s: float, timeout_s: int = 10,
         reader: str = "connectorx", query_timeout_s: int = QUERY_TIMEOUT_S) -> pa.Table | _Stream:
    """The result: a whole Arrow table (connectorx), or an open stream of it (adbc); unreachable servers retried."""
    password = unquote(urlsplit(url).password or "")
    attempt = 0
    while True:
        try:
            _preflight(url, timeout_s)
            if reader == "adbc":
                return _open_adbc(url, query, timeout_s, query_timeout_s)
            return cx.read_sql(url, query, return_type="arrow")
        except _Unreachable as exc:
            if attempt >= retries:
                raise SourceError(f"{redact(url)}: not reachable after {attempt + 1} attempt(s): "
                                  f"{str(exc).replace(password, '***') if password else exc}"[:400]) from None
        except SourceError:
            raise
        except Exception as exc:  # noqa: BLE001 - connectorx raises plain RuntimeError, ADBC its own errors
            raise _failure(url, exc) from None
        time.sleep(backoff_s * 2 ** attempt)
        attempt += 1


_END = object()


def chunks(stream: _Stream, rows: int, url: str) -> Iterator[pa.Table]:
    """The streamed result in tables of about `rows` records (one empty table when there are none). The next one is
    read in a thread while the caller loads the last, so a large pull neither waits twice nor is held whole in
    memory. A failure part-way (the server cancels the COPY) fails the pull with the server's message."""
    ready: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()

    def hand_over(item) -> None:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def pump() -> None:
        try:
            schema = stream.reader.schema
            pending, handed = pa.Table.from_batches([], schema), False
            for batch in stream.reader:
                if stop.is_set():
                    return
                pending = pa.concat_tables([pending, pa.Table.from_batches([batch], schema)])
                while pending.num_rows >= rows:                      # slices: no copy of the records
                    hand_over(pending.slice(0, rows))
                    pending, handed = pending.slice(rows), True
            if pending.num_rows or not handed:
                hand_over(pending)
            hand_over(_END)
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
            hand_over(exc)

    thread = threading.Thread(target=pump, name="sql-read-ahead", daemon=True)
    thread.start()
    try:
        while (item := ready.get()) is not _END:
            if isinstance(item, BaseException):
                raise _failure(url, item) from None
            yield item
    finally:
        stop.set()
        thread.join()
        stream.close()


def extract(source: Source, ctx: ExtractContext) -> Iterator[Batch]:
    url = expand(str(source.options["url"]), f"sources.{source.name}.url")
    retries = int(source.options.get("retries", 2))
    backoff_s = float(source.options.get("backoff_s", 1.0))
    reader = reader_for(url, source.options.get("reader"))
    batch_rows = int(source.options.get("batch_rows", BATCH_ROWS))
    if batch_rows < 1:
        raise SourceError(f"batch_rows {batch_rows} must be at least 1")
    for stream in source.streams:
        query = query_for(stream, ctx.cursors.get(stream.name), ctx.until)
        label = stream.options.get("table") or stream.name
        result = read(url, query, retries, backoff_s, int(source.options.get("connect_timeout_s", 10)), reader,
                      int(source.options.get("query_timeout_s", QUERY_TIMEOUT_S)))
        if isinstance(result, _Stream):
            for table in chunks(result, batch_rows, url):
                yield Batch(stream=stream, table=table, label=label)
        else:
            yield Batch(stream=stream, table=result, label=label)
