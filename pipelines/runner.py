"""Run sources: extract -> keep raw -> validate/quarantine -> merge (with the cursor) -> run log -> lights -> publish.

One source run is one DuckDB transaction: the kept-file records, the quarantine, the merge, the
cursor advance, the processed-file records and the run's success row commit together or not at
all. Inbox files are moved to done/ or rejected/, and the raw archive's new files renamed into
place, only after that commit, so a crash leaves either nothing or everything of a run, and a
rerun loads each record exactly once.
"""
from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import Iterable, Sequence
from concurrent import futures
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from tqdm import tqdm

from pipelines import clock, settings, sqlfiles, warehouse
from pipelines.sources import Batch, ExtractContext, SourceError, archive, client_for
from pipelines.sources import config as cfg
from pipelines.sources import mapping as mapper
from pipelines.sources.entities import ENTITIES

log = logging.getLogger("xiaoneng.pipelines")

DEFAULT_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M",
                        "%Y/%m/%d", "%Y%m%d")
# Arrow batches handed to DuckDB hold at most half a DuckDB row group (122,880 rows): with bigger ones DuckDB left
# much of the inserted data to be compressed at commit instead of writing it as it went (2 of 7 s at 1M rows).
ARROW_BATCH_ROWS = 61_440
_RAW_WRITER = futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="raw-archive")
_MACROS = ("macro_clean", "macro_local_instant", "macro_parse_time", "macro_parse_date", "macro_time_check",
           "macro_number_check", "macro_required_check", "macro_as_whole")
# The sentence for a record replaced by a newer one with the same key in the same batch.
DUPLICATE_REASON = {
    "unit": "a newer record with the same unit_code is in the same batch",
    "person": "a newer record with the same person_id is in the same batch",
    "document": "a newer record with the same doc_id is in the same batch",
    "document_step": "a newer record of the same document step is in the same batch",
    "milestone": "a newer record with the same milestone_id is in the same batch",
    "request": "a newer record with the same request_id is in the same batch",
}


def execute(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> duckdb.DuckDBPyConnection:
    """Run one staging SQL file, passing only the parameters it names."""
    return sqlfiles.execute(con, "staging", name, params)


@dataclass
class RunResult:
    source: str
    run_id: int
    state: str                          # success | failed
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    unchanged: int = 0
    files: int = 0
    files_rejected: int = 0
    error: str | None = None
    seconds: float = 0.0

    def line(self) -> str:
        if self.state != "success":
            return f"{self.source}: failed — {self.error}"
        files = f", {self.files} file(s)" if self.files else ""
        bad_files = f", {self.files_rejected} file(s) rejected" if self.files_rejected else ""
        return (f"{self.source}: {self.rows_read} read, {self.rows_loaded} loaded, {self.unchanged} unchanged, "
                f"{self.rows_rejected} quarantined{files}{bad_files} ({self.seconds:.1f} s)")


@dataclass
class _Move:
    """A file to put in its place after the commit: an inbox file into done/ or rejected/, a kept file into the
    raw archive (`temporary`: deleted instead when the run fails)."""
    path: Path
    target: Path
    reason: str | None = None
    temporary: bool = False


@dataclass
class _StreamCursor:
    value: str | None
    keys: set[str] = field(default_factory=set)


def one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 400 else text[:397] + "..."


@functools.cache
def utc_offset_us(tz: str) -> int | None:
    """A zone's UTC offset in microseconds when it is the same all through 2000-2100 (Asia/Shanghai), else None.

    Only times in those years are loaded (others are quarantined), so for such a zone local time is
    turned into an instant by arithmetic instead of a zone lookup per value.
    """
    zone = ZoneInfo(tz)
    offsets = {datetime(year, month, day, tzinfo=zone).utcoffset()
               for year in range(2000, 2101) for month in range(1, 13) for day in (1, 15)}
    if len(offsets) != 1:
        return None
    return int(offsets.pop().total_seconds()) * 1_000_000


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Create the temporary macros the staging SQL uses (per connection)."""
    for name in _MACROS:
        execute(con, name)


# ---------------------------------------------------------------------------------------------------------
# One batch: map, land, validate, quarantine, merge.

@dataclass
class _Counts:
    read: int = 0
    loaded: int = 0
    rejected: int = 0
    unchanged: int = 0
    records: int = 0        # record numbers the batch takes in the run: the records of its kept file


def raw_table(table: pa.Table, key: pa.ChunkedArray | pa.Array,
              positions: pa.ChunkedArray | pa.Array | None = None) -> pa.Table:
    """The batch as received in one struct column `rec` (repeated names made unique), its position and key.

    Wrapping the columns is zero-copy; the struct keeps every column as received, whatever it is named.
    """
    table = archive.unique_names(table)
    fields = pa.struct(list(table.schema))
    records = [pa.StructArray.from_arrays(b.columns, fields=list(fields)) for b in table.to_batches() if b.num_rows]
    return pa.table({
        "rec": pa.chunked_array(records, fields),
        mapper.ROW_NUMBER: mapper.row_numbers(table.num_rows) if positions is None else positions,
        mapper.KEY: key,
    })


def _ensure_units(con: duckdb.DuckDBPyConnection, units: pa.Table, params: dict) -> None:
    con.register("new_units", units)
    try:
        before = execute(con, "units_count").fetchall()[0][0]
        execute(con, "units_create", **params)
        if execute(con, "units_count").fetchall()[0][0] != before:
            refresh_unit_tree(con)
    finally:
        con.unregister("new_units")


def refresh_unit_tree(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute every unit's path from the root and the unit-ancestor table from the paths."""
    execute(con, "unit_paths")
    execute(con, "unit_ancestors_clear")
    execute(con, "unit_ancestors")


def _quarantine(con: duckdb.DuckDBPyConnection, raw: pa.Table, params: dict) -> None:
    """Rejected records go to quarantine with their payload as received: only their rows are taken from raw."""
    positions = execute(con, "stg_rejected").fetchnumpy()[mapper.ROW_NUMBER]
    if not len(positions):
        return
    # A filter works chunk by chunk; a take would first join the chunks of the whole batch into one.
    rejected = raw.filter(pc.is_in(raw[mapper.ROW_NUMBER], value_set=pa.array(positions)))
    con.register("rejected_raw", rejected)
    try:
        execute(con, "quarantine_batch", **params)
    finally:
        con.unregister("rejected_raw")


def _stage_and_merge(con: duckdb.DuckDBPyConnection, entity_name: str, params: dict, raw: pa.Table) -> _Counts:
    """With src_batch registered: type and check, quarantine, merge one entity."""
    execute(con, f"stg_{entity_name}", **params)
    if entity_name in DUPLICATE_REASON:
        execute(con, "stg_duplicates", duplicate_reason=DUPLICATE_REASON[entity_name])
    _quarantine(con, raw, params)
    if entity_name == "event":
        received, rejected = execute(con, "stg_counts").fetchall()[0]
        return _Counts(read=received, rejected=rejected)
    # Changed records are compared with what is held (and their before/after kept); new ones are inserted
    # straight from the staged batch, so a first load is not copied once more for the comparison.
    item_kind = ENTITIES[entity_name].item_kind
    execute(con, f"inc_{entity_name}")
    execute(con, f"chg_{entity_name}", **params)
    execute(con, "change_history", item_kind=item_kind, **params)
    inserted = execute(con, f"merge_{entity_name}", **params).fetchall()[0][0]
    execute(con, f"merge_{entity_name}_changed", **params)
    if entity_name == "request":
        execute(con, "merge_request_suspension", **params)
        execute(con, "merge_request_extension", **params)
    if entity_name == "unit":
        refresh_unit_tree(con)
    received, rejected, updated = execute(con, "batch_counts").fetchall()[0]
    return _Counts(read=received, loaded=inserted + updated, rejected=rejected,
                   unchanged=received - rejected - inserted - updated)


def load_table(con: duckdb.DuckDBPyConnection, source: cfg.Source, stream: cfg.Stream, table: pa.Table,
               *, run_id: int, loaded_at: datetime, record_offset: int, where: str,
               positions: pa.Array | None = None) -> tuple[_Counts, pa.Table]:
    """Load one batch of records as received; returns the counts and the canonical (mapped) table.

    A record's number in the run is record_offset + its position: its row in the table, or in the kept file
    when `positions` gives them (records dropped before loading leave gaps).
    """
    table = pa.Table.from_batches(table.to_batches(max_chunksize=ARROW_BATCH_ROWS), schema=table.schema)
    mapped = mapper.apply(stream.mapping, table, where, positions)
    raw = raw_table(table, mapped.table[mapper.KEY], mapped.table[mapper.ROW_NUMBER])
    m = stream.mapping
    params = dict(
        source=source.name, kind=source.kind, run_id=run_id, loaded_at=loaded_at, record_offset=record_offset,
        tz=m.timezone, utc_offset_us=utc_offset_us(m.timezone),
        formats=list(m.time_formats) + list(DEFAULT_TIME_FORMATS),
        default_unit=m.create_units.root_code if m.create_units else None,
        closed_when=m.closed_when if m.closed_when != "auto" else
        ("case_end" if "case_end" in mapped.present else "last_event"),
    )
    if mapped.units is not None:
        _ensure_units(con, mapped.units, params)
    con.register("src_batch", mapped.table)
    try:
        counts = _stage_and_merge(con, stream.entity, params, raw)
        if stream.entity == "event":
            # Both shapes come from the staged events before staging documents replaces stg_batch.
            execute(con, "event_documents", **params)
            execute(con, "event_steps", **params)
            for derived, entity_name in (("evt_documents", "document"), ("evt_steps", "document_step")):
                shaped = con.table(derived).to_arrow_table()
                con.unregister("src_batch")
                con.register("src_batch", shaped)
                # A derived record's payload is its shaped form (its events are kept as received).
                derived_raw = raw_table(shaped.drop_columns([mapper.ROW_NUMBER]),
                                        pa.nulls(shaped.num_rows, pa.string()), shaped[mapper.ROW_NUMBER])
                derived_counts = _stage_and_merge(con, entity_name, params, derived_raw)
                counts.loaded += derived_counts.loaded
                counts.unchanged += derived_counts.unchanged
                counts.rejected += derived_counts.rejected
    finally:
        con.unregister("src_batch")
    return counts, mapped.table


# ---------------------------------------------------------------------------------------------------------
# Cursors.

def _cursor_name(source: cfg.Source, stream: cfg.Stream) -> str:
    return f"{source.name}.{stream.name}"


def _get_cursor(con: duckdb.DuckDBPyConnection, name: str) -> _StreamCursor:
    rows = execute(con, "cursor_get", source=name).fetchall()
    if not rows:
        return _StreamCursor(None)
    row = rows[0]
    keys = {r[0] for r in execute(con, "cursor_keys_get", source=name).fetchall()}
    return _StreamCursor(row[0], keys)


def _record_keys(table: pa.Table, columns: Sequence[str]) -> pa.ChunkedArray:
    parts = [pc.fill_null(mapper.as_text(table[c]), "") for c in columns]
    return parts[0] if len(parts) == 1 else pc.binary_join_element_wise(*parts, "|")


def _drop_boundary(table: pa.Table, stream: cfg.Stream, stored: _StreamCursor) -> tuple[pa.Table, pa.Array | None]:
    """Drop records read at exactly the stored cursor value that the previous run already took; also the positions
    of the records left, when any were dropped."""
    if not stream.cursor or stored.value is None or not stored.keys or not stream.primary_key:
        return table, None
    if stream.cursor not in table.column_names:
        return table, None
    seen = pc.is_in(_record_keys(table, stream.primary_key), value_set=pa.array(sorted(stored.keys), pa.string()))
    if not pc.any(seen).as_py():
        return table, None
    # Only the few records with a key taken last time have their cursor value written out as text.
    candidates = pc.indices_nonzero(seen)
    at_boundary = pc.equal(mapper.as_text(pc.take(table[stream.cursor], candidates)), stored.value)
    dropped = pc.filter(candidates, pc.fill_null(at_boundary, False))
    if not len(dropped):
        return table, None
    keep = pc.invert(pc.is_in(mapper.row_numbers(table.num_rows), value_set=dropped.cast(pa.int64())))
    return table.filter(keep), pc.indices_nonzero(keep).cast(pa.int64())


def _batch_cursor(table: pa.Table, stream: cfg.Stream) -> tuple[str | None, set[str]]:
    if not stream.cursor or table.num_rows == 0:
        return None, set()
    if stream.cursor not in table.column_names:
        raise SourceError(f"cursor column {stream.cursor!r} is not in the data")
    column = table[stream.cursor]
    if pa.types.is_timestamp(column.type):
        # Times order as their text does: take the latest one typed and write out only that value.
        latest = pc.max(column)
        if not latest.is_valid:
            return None, set()
        top = mapper.as_text(pa.array([latest], column.type))[0].as_py()
        at_top = pc.equal(column, latest)
    else:
        text = mapper.as_text(column)
        top = pc.max(text).as_py()
        at_top = pc.equal(text, top) if top is not None else None
    if top is None or not stream.primary_key:
        return top, set()
    keys = _record_keys(table.filter(pc.fill_null(at_top, False)), stream.primary_key)
    return top, set(keys.to_pylist())


def _save_cursor(con: duckdb.DuckDBPyConnection, name: str, value: str, keys: set[str], now: datetime) -> None:
    execute(con, "cursor_set", source=name, cursor_value=value, updated_at=now)
    execute(con, "cursor_keys_clear", source=name)
    if keys:
        con.register("boundary_keys", pa.table({"record_key": pa.array(sorted(keys), pa.string())}))
        try:
            execute(con, "cursor_keys_set", source=name)
        finally:
            con.unregister("boundary_keys")


# ---------------------------------------------------------------------------------------------------------
# One source run.

def next_run_id(con: duckdb.DuckDBPyConnection) -> int:
    return int(execute(con, "run_next_id").fetchall()[0][0])


def _finish_run(con: duckdb.DuckDBPyConnection, result: RunResult, now: datetime, detail: dict) -> None:
    execute(con, "run_finish", run_id=result.run_id, finished_at=now, state=result.state,
            rows_read=result.rows_read, rows_loaded=result.rows_loaded, rows_rejected=result.rows_rejected,
            error=result.error, detail=json.dumps(detail, ensure_ascii=False))


def _plan_target(path: Path, folder: Path, run_id: int, moves: Sequence[_Move]) -> Path:
    """Where a file will be moved in `folder`: its own name, unless that is taken or planned already."""
    planned = {m.target for m in moves}
    target = folder / path.name
    n = 1
    while target.exists() or target in planned:
        target = folder / f"{path.stem}.run{run_id}{f'-{n}' if n > 1 else ''}{path.suffix}"
        n += 1
    return target


def _move_files(moves: Iterable[_Move]) -> None:
    """After the commit: move each file to its planned place (nothing is ever overwritten or deleted here)."""
    for move in moves:
        if not move.path.exists():
            continue
        move.target.parent.mkdir(parents=True, exist_ok=True)
        target = move.target
        if target.exists():               # put there by hand since the run planned it: keep both
            target = target.with_name(f"{target.stem}.{int(time.time() * 1000)}{target.suffix}")
            log.warning("%s exists; %s is kept as %s instead", move.target, move.path.name, target)
        if move.reason is not None:
            target.with_name(target.name + ".reason.txt").write_text(move.reason + "\n", encoding="utf-8")
        move.path.rename(target)


def _discard_temporary(moves: Iterable[_Move]) -> None:
    """After a failed run: delete the raw archive files it wrote (nothing of the run was committed)."""
    for move in moves:
        if move.temporary:
            move.path.unlink(missing_ok=True)


def raw_dir(con: duckdb.DuckDBPyConnection) -> Path:
    """The raw archive of the warehouse this connection writes (XIAONENG_RAW_DIR, or raw/ beside its file)."""
    path = execute(con, "database_path").fetchall()[0][0]
    return settings.raw_dir(Path(path) if path else None)


def settle_raw_archive(con: duckdb.DuckDBPyConnection) -> None:
    """Temporary archive files a crash left: renamed into place when their run committed, deleted when it failed.

    Files whose run this warehouse does not know (or that is still running) are left alone.
    """
    folder = archive.incoming(raw_dir(con))
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        key = archive.temp_key(path)
        if key is None:
            continue
        location, state = execute(con, "raw_batch_pending", run_id=key[0], first_record_no=key[1]).fetchall()[0]
        if location is not None:
            _move_files([_Move(path, Path(location))])
        elif state == "failed":
            path.unlink(missing_ok=True)
    from pipelines.sources import compact        # compact uses this module: imported when first needed

    try:
        compact.settle(con, raw_dir(con))         # a compaction that committed but did not put its file in place
    except compact.CompactionError as exc:        # a damaged merged file needs a person; the runs go on
        log.error("raw archive: %s", exc)


def run_source(con: duckdb.DuckDBPyConnection, source: cfg.Source, *, now: datetime,
               until: str | None = None, since: str | None = None, files: Sequence[Path] = (),
               progress: bool = False, pipeline_name: str | None = None) -> RunResult:
    """Run one source in one transaction; a failure rolls everything back and is recorded in the run log."""
    prepare(con)
    settle_raw_archive(con)
    started = time.monotonic()
    name = pipeline_name or source.name
    run_id = next_run_id(con)
    execute(con, "run_start", run_id=run_id, pipeline=name, kind=source.kind, started_at=now)
    result = RunResult(source=name, run_id=run_id, state="running")
    moves: list[_Move] = []
    detail: dict[str, Any] = {"batches": []}
    client = client_for(source.type)
    try:
        con.begin()
        stored = {s.name: _get_cursor(con, _cursor_name(source, s)) for s in source.streams}
        backfill = since is not None
        cursors = {k: (since if backfill else v.value) for k, v in stored.items()}
        ctx = ExtractContext(
            cursors=cursors, until=until, files=tuple(files),
            seen_file=lambda sha: bool(execute(con, "processed_seen", source=name, sha256=sha).fetchall()))
        new_cursor: dict[str, tuple[str, set[str]]] = {}
        offset = 0
        batches = client.extract(source, ctx)
        if progress:
            batches = tqdm(batches, desc=name, unit="batch", leave=False)
        for batch in batches:
            counts = _load_one(con, source, batch, run_id, now, offset, stored, backfill, new_cursor, moves, name)
            offset += counts.records
            result.rows_read += counts.read
            result.rows_loaded += counts.loaded
            result.rows_rejected += counts.rejected
            result.unchanged += counts.unchanged
            if batch.file is not None:
                result.files += 1
                result.files_rejected += batch.rejected is not None
            detail["batches"].append({"label": batch.label, "read": counts.read, "loaded": counts.loaded,
                                      "rejected": counts.rejected, "file_rejected": batch.rejected})
        if not backfill:
            for stream_name, (value, keys) in new_cursor.items():
                stream = next(s for s in source.streams if s.name == stream_name)
                _save_cursor(con, _cursor_name(source, stream), value, keys, now)
        result.state = "success"
        result.seconds = time.monotonic() - started
        detail["unchanged"] = result.unchanged
        _finish_run(con, result, now, detail)
        con.commit()
    except Exception as exc:  # noqa: BLE001 - any failure fails this run, recorded, and the caller goes on
        con.rollback()
        _discard_temporary(moves)
        result.state = "failed"
        result.error = one_line(exc)
        result.rows_loaded = result.rows_rejected = 0
        result.seconds = time.monotonic() - started
        log.error("source %s failed: %s", name, result.error)
        if not isinstance(exc, (SourceError, cfg.ConfigError)):
            log.debug("traceback", exc_info=True)
        _finish_run(con, result, now, {"error_type": type(exc).__name__})
        return result
    _move_files(moves)
    return result


def _load_one(con, source: cfg.Source, batch: Batch, run_id: int, now: datetime, offset: int,
              stored: dict[str, _StreamCursor], backfill: bool, new_cursor: dict, moves: list[_Move],
              name: str) -> _Counts:
    inbox = batch.file
    if inbox is not None:
        taken = execute(con, "processed_location", source=name, sha256=inbox.sha256).fetchall()
        if taken:
            if inbox.move_to is not None:   # the same content again, or taken before and the move did not happen
                kept = Path(taken[0][1]) if taken[0][1] else None
                if kept is not None and taken[0][0] != run_id and not kept.exists() \
                        and all(m.target != kept for m in moves):
                    moves.append(_Move(inbox.path, kept))          # crash after the commit: finish its move
                else:
                    moves.append(_Move(inbox.path, _plan_target(inbox.path, inbox.move_to / "done", run_id, moves)))
            return _Counts()
    if batch.rejected is None and inbox is not None and batch.table is not None:
        lacking = mapper.missing_columns(batch.stream.mapping, batch.table)
        if lacking:
            batch.rejected = (f"the file lacks column(s) {', '.join(lacking)} that the mapping "
                              f"{batch.stream.mapping.file} needs")
    if batch.rejected is not None:
        log.warning("%s: file %s rejected: %s", name, batch.label, batch.rejected)
        if inbox is not None:
            execute(con, "processed_add", source=name, file_name=inbox.path.name, sha256=inbox.sha256,
                    size_bytes=inbox.size, run_id=run_id, processed_at=now,
                    moved_to=str(inbox.move_to / "rejected") if inbox.move_to else None)
            if inbox.move_to is not None:
                moves.append(_Move(inbox.path, _plan_target(inbox.path, inbox.move_to / "rejected", run_id, moves),
                                   batch.rejected))
        return _Counts()
    stream = batch.stream
    table = batch.table if batch.table is not None else pa.table({})
    received = table.num_rows
    positions = None
    if not backfill:
        table, positions = _drop_boundary(table, stream, stored[stream.name])
    # A file is kept whole (its records are numbered by their place in it); pulled records only when loaded,
    # so they are numbered by their place among the records kept, not among those read.
    records = received if inbox is not None else table.num_rows
    if inbox is None:
        positions = None
    done = None
    if inbox is not None and inbox.move_to is not None:
        done = _plan_target(inbox.path, inbox.move_to / "done", run_id, moves)
        moves.append(_Move(inbox.path, done))
    keeping = _keep(con, source, batch, table, run_id, now, offset, done, moves) if records else None
    counts = _Counts()
    try:
        if table.num_rows:
            counts, _ = load_table(con, source, stream, table, run_id=run_id, loaded_at=now,
                                   record_offset=offset, where=f"{name} ({batch.label})", positions=positions)
            value, keys = _batch_cursor(table, stream)
            if value is not None:
                previous = new_cursor.get(stream.name)
                if previous is None or value > previous[0]:
                    new_cursor[stream.name] = (value, keys)
                elif value == previous[0]:
                    previous[1].update(keys)
    except BaseException:
        if keeping is not None:
            futures.wait([keeping])           # the failed run deletes the file: let its writing finish first
        raise
    if keeping is not None:
        kept = keeping.result()
        execute(con, "raw_batch_add", source=source.name, kind=source.kind, run_id=run_id, loaded_at=now,
                record_offset=offset, records=records, label=batch.label, format=kept.format,
                encoding=kept.encoding, location=str(kept.location), sha256=kept.sha256)
    counts.records = records
    if inbox is not None:
        execute(con, "processed_add", source=name, file_name=inbox.path.name, sha256=inbox.sha256,
                size_bytes=inbox.size, run_id=run_id, processed_at=now,
                moved_to=str(inbox.move_to / "done") if inbox.move_to else None)
    return counts


def _keep(con: duckdb.DuckDBPyConnection, source: cfg.Source, batch: Batch, table: pa.Table, run_id: int,
          now: datetime, offset: int, done: Path | None, moves: list[_Move]) -> futures.Future:
    """The file that keeps the batch as received (a future archive.Kept): an inbox file itself (`done`: where it
    is moved after the commit), a copy of an imported file, or the pulled records as Parquet, put in place
    after the commit. The Parquet file is written in the background while the batch is staged and merged
    (both the writer and DuckDB work outside Python's global lock)."""
    inbox = batch.file
    kept: futures.Future = futures.Future()
    if inbox is not None and done is not None:
        kept.set_result(archive.Kept(location=done, sha256=inbox.sha256, format=inbox.format or "file",
                                     encoding=inbox.encoding))
        return kept
    folder = raw_dir(con)
    if inbox is not None:
        copy = archive.keep_copy(inbox.path, inbox.sha256, inbox.format or "file", inbox.encoding, folder,
                                 source.name, now, run_id, offset)
        moves.append(_Move(copy.pending, copy.location, temporary=True))
        kept.set_result(copy)
        return kept
    temp, location = archive.records_place(folder, source.name, now, run_id, offset)
    moves.append(_Move(temp, location, temporary=True))

    def write() -> archive.Kept:
        return archive.Kept(location=location, sha256=archive.write_records(table, temp), format="parquet")

    return _RAW_WRITER.submit(write)


# ---------------------------------------------------------------------------------------------------------
# After the loads: source status, user decisions, lights, publish.

def refresh_source_status(con: duckdb.DuckDBPyConnection, config: cfg.Config, now: datetime) -> None:
    rows = [s for s in config.sources.values() if s.enabled]
    con.register("configured_sources", pa.table({
        "source": pa.array([s.name for s in rows], pa.string()),
        "kind": pa.array([s.kind for s in rows], pa.string()),
        "expected_interval_s": pa.array([s.expected_interval_s for s in rows], pa.float64()),
    }))
    try:
        con.begin()
        execute(con, "source_status_clear")
        execute(con, "source_status", now=now)
        con.commit()
    except Exception:
        con.rollback()
        raise
    finally:
        con.unregister("configured_sources")


def freshness(con: duckdb.DuckDBPyConnection, now: datetime, config: cfg.Config | None = None) -> list[dict]:
    """Each configured source's last runs and whether it is stale at `now`; also rebuilds source_status."""
    refresh_source_status(con, config or cfg.load(), now)
    cur = con.execute("select * from source_status order by source")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def recompute_lights(con: duckdb.DuckDBPyConnection, as_of: datetime, run_id: int | None = None) -> dict:
    """Recompute the lights (they copy user decisions and own their transaction), then the dashboard's marts."""
    from pipelines import lights, marts

    result = lights.recompute(con, as_of, run_id)
    marts.refresh(con, as_of)
    return result


def finish(con: duckdb.DuckDBPyConnection, config: cfg.Config, now: datetime, *, lights: bool = True,
           publish: bool = True) -> str | None:
    """Source status, lights and publish after loads; returns a one-line lights error, if lights failed."""
    refresh_source_status(con, config, now)
    error = None
    if lights:
        try:
            recompute_lights(con, now)
        except Exception as exc:  # noqa: BLE001 - loaded data is committed; publish it with the old lights
            error = one_line(exc)
            log.error("lights recompute failed: %s", error)
    if publish:
        warehouse.publish(con)
    return error


# ---------------------------------------------------------------------------------------------------------
# Entry points used by the command line and the scheduler.

def mark_interrupted(con: duckdb.DuckDBPyConnection, now: datetime) -> None:
    execute(con, "runs_interrupted", now=now)


def run(names: Sequence[str] | None = None, *, now: datetime | None = None, config: cfg.Config | None = None,
        lights: bool = True, publish: bool = True, progress: bool = False,
        db: Path | None = None) -> list[RunResult]:
    """Run the named sources (all enabled ones when none are named), then lights and publish."""
    config = config or cfg.load()
    now = now or clock.now()
    if names:
        sources = [config.source(n) for n in names]
    else:
        sources = [s for s in config.sources.values() if s.enabled]
    results = []
    with warehouse.writer(db) as con:
        mark_interrupted(con, now)
        for source in sources:
            results.append(run_source(con, source, now=now, progress=progress))
        finish(con, config, now, lights=lights, publish=publish)
    return results


def backfill(name: str, since: str, until: str | None = None, *, now: datetime | None = None,
             config: cfg.Config | None = None, progress: bool = False, db: Path | None = None) -> RunResult:
    """Re-read a cursor-based source from `since` (to `until`), leaving its stored cursor as it is."""
    config = config or cfg.load()
    now = now or clock.now()
    source = config.source(name)
    if not any(s.cursor for s in source.streams):
        raise cfg.ConfigError(f"source {name} has no cursor; backfill applies to sources read by update time")
    with warehouse.writer(db) as con:
        mark_interrupted(con, now)
        result = run_source(con, source, now=now, since=since, until=until, progress=progress)
        finish(con, config, now)
    return result


def import_files(paths: Sequence[Path], source: cfg.Source, *, now: datetime | None = None,
                 config: cfg.Config | None = None, progress: bool = False, db: Path | None = None) -> RunResult:
    """Load explicit files (left where they are) through an ad-hoc source; a file already taken is skipped."""
    now = now or clock.now()
    try:
        config = config or cfg.load()
    except cfg.ConfigError:
        config = cfg.Config(sources={})
    with warehouse.writer(db) as con:
        mark_interrupted(con, now)
        result = run_source(con, source, now=now, files=paths, progress=progress, pipeline_name=source.name)
        finish(con, config, now)
    return result


def lights_job(*, now: datetime | None = None, config: cfg.Config | None = None, db: Path | None = None) -> None:
    """The scheduler's periodic job: freshness, lights at the current time, publish — even with no new data."""
    config = config or cfg.load()
    now = now or clock.now()
    with warehouse.writer(db) as con:
        error = finish(con, config, now)
    if error:
        raise RuntimeError(f"lights recompute failed: {error}")


def status_report(con: duckdb.DuckDBPyConnection, now: datetime, runs: int = 10,
                  config: cfg.Config | None = None) -> str:
    """A plain-text overview: each source's freshness, the latest runs, and quarantined records by reason."""
    try:
        rows = freshness(con, now, config)
    except cfg.ConfigError as exc:
        rows = []
        lines = [f"(sources.toml: {exc})"]
    else:
        lines = []
    lines.append(f"Sources at {now.isoformat(timespec='seconds')}:")
    for r in rows:
        state = r["last_state"] or "never ran"
        stale = "STALE" if r["is_stale"] else "fresh"
        last_ok = r["last_success_at"].isoformat(timespec="seconds") if r["last_success_at"] else "never"
        lines.append(f"  {r['source']:<16} {r['kind']:<10} {stale:<6} last success {last_ok:<25} "
                     f"last run {state:<8} rejected {r['rejected_last_run']}"
                     + (f"\n      error: {r['last_error']}" if r["last_error"] else ""))
    lines.append(f"Latest {runs} runs:")
    for run_id, pipeline, state, started, read, loaded, rejected, error in execute(
            con, "status_runs", limit=runs).fetchall():
        lines.append(f"  #{run_id:<5} {pipeline:<16} {state:<8} {started.isoformat(timespec='seconds')} "
                     f"read {read} loaded {loaded} rejected {rejected}" + (f" — {error}" if error else ""))
    lines.append("Quarantined records by source and reason:")
    counts = execute(con, "status_quarantine").fetchall()
    for source, reason_code, n, latest in counts:
        lines.append(f"  {source:<16} {reason_code:<22} {n:>7}  latest {latest.isoformat(timespec='seconds')}")
    if not counts:
        lines.append("  none")
    return "\n".join(lines)
