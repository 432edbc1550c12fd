"""The warehouse file: one writer at a time, schema on open, and read-only snapshots published for readers.

DuckDB lets one process write a file, and while it does no other process may open it even
read-only. So the pipelines own the warehouse file alone, and after each change they publish
an immutable copy (a snapshot) beside it; readers (the dashboard, outside tools) open the
newest snapshot read-only through the `current.duckdb` link. Readers never block the writer,
and the writer never blocks readers.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from pipelines import settings

SCHEMA_DIR = Path(__file__).resolve().parent / "sql" / "schema"
SNAPSHOT_MIN_AGE_S = 600
LOCK_TIMEOUT_S = 600.0


class WarehouseBusy(RuntimeError):
    """Another pipeline process holds the warehouse for longer than we may wait."""


def db_path() -> Path:
    return settings.path("XIAONENG_DB")


def published_dir(path: Path | None = None) -> Path:
    path = path or db_path()
    return path.with_name(path.name + ".published")


def current_link(path: Path | None = None) -> Path:
    return published_dir(path) / "current.duckdb"


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Run every schema file in order; each is idempotent (create ... if not exists / or replace)."""
    for sql_file in sorted(SCHEMA_DIR.glob("*.sql")):
        con.execute(sql_file.read_text(encoding="utf-8"))


@contextlib.contextmanager
def writer(path: Path | None = None, timeout_s: float = LOCK_TIMEOUT_S) -> Iterator[duckdb.DuckDBPyConnection]:
    """Hold the warehouse for writing: a cross-process lock, then a DuckDB connection with the schema applied."""
    path = path or db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_file = path.with_name(path.name + ".lock")
    with open(lock_file, "a+") as lock:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise WarehouseBusy(f"warehouse {path} is held by another pipeline process") from None
                time.sleep(0.2)
        try:
            con = duckdb.connect(str(path))
            try:
                con.execute(f"set TimeZone = '{settings.get('XIAONENG_TZ')}'")
                # Every run ends in publish(), which checkpoints; DuckDB's own checkpoint after 16 MB of log
                # would otherwise land inside whichever commit crosses it and rewrite tables mid-run.
                con.execute("set checkpoint_threshold = '1GB'")
                apply_schema(con)
                yield con
            finally:
                con.close()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def publish(con: duckdb.DuckDBPyConnection, path: Path | None = None) -> Path:
    """Checkpoint and copy the warehouse to a new immutable snapshot, then point current.duckdb at it.

    Called while holding `writer()`: the checkpoint empties the WAL, so the main file alone is
    a consistent database, and no other writer can change it during the copy.
    """
    path = path or db_path()
    con.execute("checkpoint")
    out_dir = published_dir(path)
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    target = out_dir / f"snapshot-{stamp}.duckdb"
    tmp = out_dir / f".{target.name}.tmp"
    shutil.copyfile(path, tmp)
    os.replace(tmp, target)
    link_tmp = out_dir / ".current.tmp"
    with contextlib.suppress(FileNotFoundError):
        link_tmp.unlink()
    os.symlink(target.name, link_tmp)
    os.replace(link_tmp, current_link(path))
    prune_snapshots(out_dir, keep=int(settings.get("XIAONENG_KEEP_SNAPSHOTS")))
    return target


def prune_snapshots(out_dir: Path, keep: int) -> None:
    """Delete old snapshots; keep the newest `keep` and any younger than ten minutes (readers may hold them)."""
    current = os.path.realpath(out_dir / "current.duckdb")
    snapshots = sorted(out_dir.glob("snapshot-*.duckdb"), reverse=True)
    now = time.time()
    for old in snapshots[keep:]:
        if str(old) == current or now - old.stat().st_mtime < SNAPSHOT_MIN_AGE_S:
            continue
        with contextlib.suppress(FileNotFoundError):
            old.unlink()
