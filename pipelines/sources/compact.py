"""Compact the raw archive: merge a past month's pulled-batch Parquet files of a source into one file.

A database or API pull keeps each batch as its own small Parquet file, up to 1,440 a day at a one-minute
schedule. Once a month is over, its pull files (not inbox files, not copies of imported files) are merged
into <raw>/<source>/<YYYY-MM>/pulls-<n>.parquet: columns combined by name (a batch that lacked a column has
nulls there; the file's `xiaoneng.columns` metadata says which columns each range of rows arrived with),
every value with the type it arrived with. A month whose batches gave one column two types is left as it is.

Crash safety follows the rest of the archive: the merged file is written and checked against the old files
in <raw>/.incoming/, a manifest beside it names its place and the files it replaces, raw_batch_file is
repointed (location, sha256, row_offset) in one transaction, and only after the commit is the file renamed
into place and the old files deleted. `settle` finishes a compaction a crash cut short after its commit and
discards one cut short before it; it runs before every compaction.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from pipelines import clock, runner, warehouse
from pipelines.sources import archive

ROW_GROUP_ROWS = 122_880                 # as the pull files (archive.write_records)
COLUMNS_KEY = "xiaoneng.columns"         # Parquet key-value metadata: [{"first_row": n, "columns": [...]}, ...]
_PREFIX = "compact-"                     # temporary names in .incoming/; never <digits>-<digits> (a run's file)
_FLOAT_BITS = {16: pa.int16(), 32: pa.int32(), 64: pa.int64()}


class CompactionError(RuntimeError):
    """A month's files cannot be merged safely: one is missing, changed, or does not hold its records."""


class _TypesDiffer(Exception):
    """Two batches of the month gave one column different types; nothing is coerced."""


@dataclass
class Compaction:
    """What happened to one source-month."""
    source: str
    month: str                          # YYYY-MM
    files: int
    records: int = 0
    state: str = "compacted"            # compacted | left (types differ) | failed
    location: Path | None = None
    reason: str | None = None

    def line(self) -> str:
        if self.state == "compacted":
            return (f"{self.source} {self.month}: {self.files} file(s) → 1 ({self.location.name}), "
                    f"{self.records} records")
        what = "left as they are" if self.state == "left" else "failed"
        return f"{self.source} {self.month}: {self.files} file(s) {what} — {self.reason}"


@dataclass
class _Batch:
    run_id: int
    first_record_no: int
    records: int
    path: Path
    sha256: str


@dataclass
class _Month:
    source: str
    folder: Path                        # <raw>/<source>/<YYYY-MM>
    batches: list[_Batch]

    @property
    def month(self) -> str:
        return self.folder.name


def month_start(month: str) -> datetime:
    """The first instant of a YYYY-MM month in the configured zone."""
    try:
        year, number = (int(part) for part in month.split("-"))
        return datetime(year, number, 1, tzinfo=clock.zone())
    except ValueError:
        raise ValueError(f"{month!r} is not a month (YYYY-MM)") from None


def _next_month(start: datetime) -> datetime:
    return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)


def _months(con: duckdb.DuckDBPyConnection, raw: Path, since: datetime, before: datetime,
            source: str | None) -> list[_Month]:
    """The source-months loaded in [since, before) that have pull files of their own, by source and month."""
    zone = clock.zone()
    months: dict[tuple[str, Path], _Month] = {}
    for name, run_id, first, records, loaded_at, location, sha256 in runner.execute(
            con, "raw_compact_candidates", since=since, before=before, source=source).fetchall():
        path = Path(location)
        folder = path.parent
        # Only a pull's own file in its month's folder: not a copy of an imported file, nor a merged file.
        if folder.parent.parent != raw or folder.name != f"{loaded_at.astimezone(zone):%Y-%m}" \
                or archive.pulled_key(path) != (run_id, first):
            continue
        months.setdefault((name, folder), _Month(name, folder, [])).batches.append(
            _Batch(run_id, first, records, path, sha256))
    return sorted(months.values(), key=lambda m: (m.source, m.month))


@contextlib.contextmanager
def _holding(db: Path | None) -> Iterator[tuple[duckdb.DuckDBPyConnection, Path]]:
    """The warehouse for writing, with the archive settled: runs' files put in place, compactions finished."""
    with warehouse.writer(db) as con:
        runner.settle_raw_archive(con)
        raw = runner.raw_dir(con)
        settle(con, raw)
        yield con, raw


def compact_raw(source: str | None = None, before: str | None = None, *, db: Path | None = None,
                progress: bool = False, publish: bool = True) -> list[Compaction]:
    """Merge the pull files of each source-month before `before` (YYYY-MM; default the current month).

    The warehouse is held one source-month at a time, so that runs are never kept waiting for long.
    """
    current = f"{clock.now():%Y-%m}"
    cutoff = month_start(before or current)
    before = f"{cutoff:%Y-%m}"
    if before > current:
        raise ValueError(f"--before {before} is after the current month {current}, which is still being written")
    with _holding(db) as (con, raw):
        todo = [(m.source, m.month) for m in _months(con, raw, datetime(1970, 1, 1, tzinfo=clock.zone()),
                                                      cutoff, source)]
    results = []
    for name, month in todo:
        with _holding(db) as (con, raw):
            since = month_start(month)
            # Listed again under this hold: another process may have compacted the month meanwhile.
            for found in _months(con, raw, since, _next_month(since), name):
                if found.source == name and found.month == month:
                    results.append(_compact_month(con, raw, found, progress=progress))
    if publish and any(r.state == "compacted" for r in results):
        with warehouse.writer(db) as con:
            warehouse.publish(con)
    return results


def _compact_month(con: duckdb.DuckDBPyConnection, raw: Path, month: _Month, *, progress: bool = False) -> Compaction:
    """Merge one source-month's pull files into one and repoint their rows; the caller holds the warehouse."""
    result = Compaction(month.source, month.month, files=len(month.batches))
    try:
        schema = _merged_schema(month)
    except _TypesDiffer as exc:
        result.state, result.reason = "left", str(exc)
        return result
    except CompactionError as exc:
        result.state, result.reason = "failed", str(exc)
        return result
    target = _free_place(con, month.folder)
    folder = archive.incoming(raw)
    folder.mkdir(parents=True, exist_ok=True)
    token = f"{_PREFIX}{uuid.uuid4().hex}"
    data, manifest = folder / f"{token}.parquet", folder / f"{token}.json"
    try:
        offsets = _write(month, schema, data, progress)
        _verify(month, schema, data)
        sha256 = archive.sha256_of(data)
        _write_manifest(manifest, target, sha256, month)
        _repoint(con, month, offsets, target, sha256)
    except BaseException as exc:
        if runner.execute(con, "raw_compact_referenced", locations=[str(target)]).fetchall():
            raise                         # committed after all: settle finishes it
        _discard(data, manifest)          # nothing was committed: the old files and rows stay as they were
        if not isinstance(exc, CompactionError):
            raise
        result.state, result.reason = "failed", str(exc)
        return result
    _complete(con, manifest)
    result.records = sum(b.records for b in month.batches)
    result.location = target
    return result


def _merged_schema(month: _Month) -> pa.Schema:
    """Every column of the month's batches by name, in order of appearance, each with the one type it arrived
    with; the metadata lists the columns of each range of rows (the batches' records, as recorded)."""
    types: dict[str, pa.DataType] = {}
    first_seen: dict[str, str] = {}
    ranges: list[dict] = []
    row = 0
    for batch in month.batches:
        if not batch.path.is_file():
            raise CompactionError(f"{batch.path} is missing")
        try:
            columns = pq.read_schema(batch.path)
        except (OSError, pa.ArrowException) as exc:
            raise CompactionError(f"{batch.path} cannot be read: {runner.one_line(exc)}") from None
        for field in columns:
            known = types.setdefault(field.name, field.type)
            first_seen.setdefault(field.name, batch.path.name)
            if known != field.type:
                raise _TypesDiffer(f"column {field.name!r} is {known} in {first_seen[field.name]} but {field.type} "
                                   f"in {batch.path.name}, and types are not coerced")
        if not ranges or ranges[-1]["columns"] != columns.names:
            ranges.append({"first_row": row, "columns": columns.names})
        row += batch.records
    return pa.schema([pa.field(name, type_) for name, type_ in types.items()],
                     metadata={COLUMNS_KEY: json.dumps(ranges, ensure_ascii=False)})


def _free_place(con: duckdb.DuckDBPyConnection, folder: Path) -> Path:
    n = 1
    while (folder / f"pulls-{n}.parquet").exists() or runner.execute(
            con, "raw_compact_referenced", locations=[str(folder / f"pulls-{n}.parquet")]).fetchall():
        n += 1
    return folder / f"pulls-{n}.parquet"


def _aligned(table: pa.Table, schema: pa.Schema) -> pa.Table:
    return pa.table([table[f.name] if f.name in table.column_names else pa.nulls(table.num_rows, f.type)
                     for f in schema], schema=schema)


def _write(month: _Month, schema: pa.Schema, data: Path, progress: bool) -> list[int]:
    """Write the month's batches one after another into `data` (zstd); each batch's first row there."""
    offsets: list[int] = []
    row = 0
    pending: list[pa.Table] = []
    pending_rows = 0
    batches: Iterable[_Batch] = month.batches
    if progress:
        batches = tqdm(batches, desc=f"{month.source} {month.month}", unit="file", leave=False)
    with pq.ParquetWriter(data, schema, compression="zstd", use_dictionary=False) as writer:
        for batch in batches:
            content = batch.path.read_bytes()
            if hashlib.sha256(content).hexdigest() != batch.sha256:
                raise CompactionError(f"{batch.path} is not the file that was kept (its sha256 differs)")
            try:
                table = pq.read_table(pa.BufferReader(content))
            except pa.ArrowException as exc:
                raise CompactionError(f"{batch.path} cannot be read: {runner.one_line(exc)}") from None
            if table.num_rows != batch.records:
                raise CompactionError(f"{batch.path} holds {table.num_rows} records where raw_batch_file "
                                      f"says {batch.records}")
            offsets.append(row)
            row += table.num_rows
            pending.append(_aligned(table, schema))
            pending_rows += table.num_rows
            if pending_rows >= ROW_GROUP_ROWS:
                # Whole row groups as the batches fill them; the rest waits for the next batches.
                joined = pa.concat_tables(pending)
                whole = joined.num_rows - joined.num_rows % ROW_GROUP_ROWS
                writer.write_table(joined.slice(0, whole), row_group_size=ROW_GROUP_ROWS)
                pending, pending_rows = [joined.slice(whole)], joined.num_rows - whole
        if pending:
            writer.write_table(pa.concat_tables(pending), row_group_size=ROW_GROUP_ROWS)
    _fsync(data)
    return offsets


class _Rows:
    """The rows of a Parquet file in order, taken n at a time."""

    def __init__(self, path: Path):
        file = pq.ParquetFile(path)
        self._schema = file.schema_arrow
        self._batches = file.iter_batches(batch_size=65_536)
        self._held: list[pa.RecordBatch] = []
        self._count = 0

    def take(self, n: int) -> pa.Table:
        while self._count < n:
            batch = next(self._batches, None)
            if batch is None:
                break
            self._held.append(batch)
            self._count += batch.num_rows
        rows = pa.Table.from_batches(self._held, schema=self._schema)
        self._held = rows.slice(n).to_batches()
        self._count = max(self._count - n, 0)
        return rows.slice(0, n)


def _same(a: pa.ChunkedArray, b: pa.ChunkedArray) -> bool:
    """Same type and values; a float's bits are compared, so that NaN matches NaN (Parquet keeps the bits)."""
    if a.type != b.type:
        return False
    if pa.types.is_floating(a.type):
        bits = _FLOAT_BITS[a.type.bit_width]
        a, b = (pa.chunked_array([c.view(bits) for c in x.chunks], bits) for x in (a, b))
    return a.equals(b)


def _verify(month: _Month, schema: pa.Schema, data: Path) -> None:
    """Each batch's rows in the merged file are its file's records: same count, columns, types and values,
    and nulls in the columns it did not have."""
    total = sum(b.records for b in month.batches)
    if pq.read_metadata(data).num_rows != total:
        raise CompactionError(f"the merged file of {month.source} {month.month} does not hold its {total} records")
    merged = _Rows(data)
    for batch in month.batches:
        original = pq.read_table(batch.path)
        rows = merged.take(batch.records)
        if rows.num_rows != original.num_rows:
            raise CompactionError(f"the merged file lacks records of {batch.path}")
        for name in schema.names:
            kept = name in original.column_names
            if (kept and not _same(original[name], rows[name])) or (
                    not kept and rows[name].null_count != rows.num_rows):
                raise CompactionError(f"column {name!r} of {batch.path} differs in the merged file")


def _write_manifest(manifest: Path, target: Path, sha256: str, month: _Month) -> None:
    """What the merged file beside it is for, made durable before the commit that depends on it."""
    part = manifest.with_name(manifest.name + ".part")
    part.write_text(json.dumps({"source": month.source, "month": month.month, "target": str(target),
                                "sha256": sha256, "replaces": [str(b.path) for b in month.batches]},
                               ensure_ascii=False), encoding="utf-8")
    _fsync(part)
    os.replace(part, manifest)
    _fsync(manifest.parent)


def _repoint(con: duckdb.DuckDBPyConnection, month: _Month, offsets: list[int], target: Path, sha256: str) -> None:
    """Point every batch of the month at the merged file, in one transaction."""
    con.register("compacted_batches", pa.table({
        "run_id": pa.array([b.run_id for b in month.batches], pa.int64()),
        "first_record_no": pa.array([b.first_record_no for b in month.batches], pa.int64()),
        "old_location": pa.array([str(b.path) for b in month.batches], pa.string()),
        "row_offset": pa.array(offsets, pa.int64()),
    }))
    try:
        con.begin()
        try:
            changed = runner.execute(con, "raw_compact_repoint", location=str(target), sha256=sha256).fetchall()[0][0]
            if changed != len(month.batches):
                raise CompactionError(f"only {changed} of {len(month.batches)} batches of {month.source} "
                                      f"{month.month} were still kept where they were listed")
            con.commit()
        except BaseException:
            con.rollback()
            raise
    finally:
        con.unregister("compacted_batches")


def _put_in_place(data: Path, target: Path) -> None:
    if target.exists():
        raise CompactionError(f"{target} exists already; the merged file is left in {data}")
    data.rename(target)
    _fsync(target.parent)


def _complete(con: duckdb.DuckDBPyConnection, manifest: Path) -> None:
    """After the commit: put the merged file in place, check it, then delete the files it replaces."""
    plan = json.loads(manifest.read_text(encoding="utf-8"))
    target = Path(plan["target"])
    data = manifest.with_suffix(".parquet")
    if data.exists():
        _put_in_place(data, target)
    held = runner.execute(con, "raw_compact_referenced", locations=[str(target)]).fetchall()
    if not target.is_file() or archive.sha256_of(target) != plan["sha256"] \
            or pq.read_metadata(target).num_rows != sum(records for _, records in held):
        raise CompactionError(f"{target} is not the merged file that was checked; the files it replaces are kept "
                              f"({manifest})")
    in_use = {location for location, _ in runner.execute(con, "raw_compact_referenced", locations=plan["replaces"])
              .fetchall()}
    for old in plan["replaces"]:
        if old not in in_use:
            Path(old).unlink(missing_ok=True)
    _fsync(target.parent)
    manifest.unlink()


def _discard(*paths: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
        path.with_name(path.name + ".part").unlink(missing_ok=True)


def settle(con: duckdb.DuckDBPyConnection, raw: Path) -> None:
    """Compactions a crash cut short: finished when their rows were repointed (committed), else discarded."""
    folder = archive.incoming(raw)
    if not folder.is_dir():
        return
    for manifest in sorted(folder.glob(f"{_PREFIX}*.json")):
        target = json.loads(manifest.read_text(encoding="utf-8"))["target"]
        if runner.execute(con, "raw_compact_referenced", locations=[target]).fetchall():
            _complete(con, manifest)
        else:
            _discard(manifest.with_suffix(".parquet"), manifest)
    for stray in folder.glob(f"{_PREFIX}*"):     # written before a crash that came before its manifest
        stray.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
