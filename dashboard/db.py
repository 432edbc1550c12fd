"""Read-only access to the newest published warehouse snapshot."""
from __future__ import annotations

import functools
import os
import threading
from pathlib import Path

import duckdb

from dashboard import settings

SQL_DIR = Path(__file__).resolve().parent / "sql"


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
                _connections.pop(next(iter(_connections))).close()
            con = duckdb.connect(key, read_only=True)
            con.execute(f"set TimeZone = '{settings.get('XIAONENG_TZ')}'")
            _connections[key] = con
        return con


def cursor(snapshot: Path | str) -> duckdb.DuckDBPyConnection:
    """A cursor of the snapshot's shared connection; settings do not carry over to cursors, so set the zone again."""
    cur = connection(Path(snapshot)).cursor()
    cur.execute(f"set TimeZone = '{settings.get('XIAONENG_TZ')}'")
    return cur


@functools.lru_cache(maxsize=None)
def sql_text(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
