"""Read-only access to the newest published warehouse snapshot."""
from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb

from dashboard import settings

SQL_DIR = Path(__file__).resolve().parent / "sql"
# Table macros the queries call, one per dashboard/sql/<name>.sql, in order: units_in_view is the viewer's scope,
# the one definition of which units a query may read; item_in_view finds one item within it.
MACROS = ("units_in_view", "item_in_view")


class NoData(RuntimeError):
    """No snapshot has been published yet: the pipelines have not completed a run."""


class NotPrepared(NoData):
    """A snapshot is published, but without the dashboard's marts for its lights (the pipelines refresh them
    after every lights run, before publishing; a snapshot published otherwise cannot be shown)."""


def current_snapshot() -> Path:
    warehouse = settings.path("XIAONENG_DB")
    link = warehouse.with_name(warehouse.name + ".published") / "current.duckdb"
    if not link.exists():
        raise NoData(f"no published data yet at {link}")
    return Path(os.path.realpath(link))


_connections: dict[str, duckdb.DuckDBPyConnection] = {}
# Prepared cursors not in use, per snapshot file and time zone: preparing one (the zone, the macros) costs about a
# millisecond, as much as a small query, so a cursor is handed out again rather than made for every query.
_idle: dict[tuple[str, str], list[duckdb.DuckDBPyConnection]] = {}
_IDLE_MAX = 8
# Every viewer's script runs in its own thread; one lock keeps two of them from opening the same file twice.
_lock = threading.Lock()


def connection(snapshot: Path) -> duckdb.DuckDBPyConnection:
    """One read-only connection per snapshot file per process; each query uses its own cursor."""
    key = str(snapshot)
    with _lock:
        con = _connections.get(key)
        if con is None:
            # Keep a few older snapshots open: other sessions may still be reading them.
            while len(_connections) >= 3:
                old = next(iter(_connections))
                for pool in [k for k in _idle if k[0] == old]:
                    for idle in _idle.pop(pool):
                        idle.close()
                _connections.pop(old).close()
            con = duckdb.connect(key, read_only=True)
            prepare(con)
            _connections[key] = con
        return con


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """What every query expects of its connection: the zone, and the macros of MACROS (temporary: a read-only file
    takes them, and each connection and cursor has its own)."""
    con.execute(f"set TimeZone = '{settings.get('XIAONENG_TZ')}'")
    for name in MACROS:
        con.execute(sql_text(name))


@contextlib.contextmanager
def cursor(snapshot: Path | str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A prepared cursor of the snapshot's shared connection, for one thread at a time while the block runs (settings
    and temporary macros do not carry over from the connection to its cursors, so each is prepared once)."""
    key = (str(snapshot), settings.get("XIAONENG_TZ"))
    with _lock:
        pool = _idle.get(key)
        cur = pool.pop() if pool else None
    if cur is None:
        cur = connection(Path(snapshot)).cursor()
        prepare(cur)
    try:
        yield cur
    except BaseException:
        cur.close()  # a query that failed or was stopped: its cursor is not handed out again
        raise
    with _lock:
        pool = _idle.setdefault(key, [])
        if key[0] in _connections and len(pool) < _IDLE_MAX:
            pool.append(cur)
            cur = None
    if cur is not None:
        cur.close()


@functools.lru_cache(maxsize=None)
def sql_text(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
