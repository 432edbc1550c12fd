"""Take complete files from an inbox folder (or given paths), oldest name first, one batch per file."""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow as pa

from pipelines.sources import Batch, ExtractContext, InboxFile, SourceError
from pipelines.sources.config import Source, Stream, expand
from pipelines.sources.archive import sha256_of
from pipelines.sources.inbox import readers

SOURCE_OPTIONS = {
    "path": "the inbox folder, e.g. ${XIAONENG_INBOX}/requests; done/ and rejected/ are made inside it",
    "pattern": "file name pattern (glob), default '*'",
    "format": "csv | xlsx | parquet | json | auto (by file extension; default auto)",
    "encoding": "CSV text encoding: auto (UTF-8, else GB18030), utf-8, gb18030 or gbk (default auto)",
    "delimiter": "CSV field separator (default ',')",
    "sheet": "XLSX sheet to read (default: the first)",
    "items_path": "JSON: dotted path to the list of records (default: the file is the list)",
    "settle_s": "a file must be unchanged for this many seconds before it is read (default 2)",
}
REQUIRED_OPTIONS = ("path",)
STREAM_OPTIONS: dict[str, str] = {}

_SKIP_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload", ".filepart", ".swp", "~", ".reason.txt")


def ready_files(folder: Path, pattern: str, settle_s: float, now_s: float | None = None) -> list[Path]:
    """Complete files in name order: no dot or temporary names, unchanged for settle_s seconds."""
    if not folder.is_dir():
        raise SourceError(f"inbox folder {folder} does not exist")
    now_s = time.time() if now_s is None else now_s
    out = []
    for path in sorted(folder.glob(pattern)):
        name = path.name
        if name.startswith((".", "~$")) or name.lower().endswith(_SKIP_SUFFIXES) or not path.is_file():
            continue
        if path.is_symlink():
            continue                      # a link could point anywhere on the machine: only real files are read
        if now_s - path.stat().st_mtime < settle_s:
            continue                      # still being written (or just renamed in): next run
        out.append(path)
    return out


def file_batches(source: Source, ctx: ExtractContext, read: Callable[[Path, Stream], pa.Table],
                 default_pattern: str = "*") -> Iterator[Batch]:
    """The inbox mechanics shared by file sources: pick files, skip ones already taken, read or reject."""
    o = source.options
    stream = source.streams[0]
    if ctx.files:
        paths, move_to = list(ctx.files), None
    else:
        folder = Path(expand(str(o["path"]), f"sources.{source.name}.path"))
        paths = ready_files(folder, str(o.get("pattern", default_pattern)), float(o.get("settle_s", 2)))
        move_to = folder
    for path in paths:
        if not path.is_file():
            raise SourceError(f"no file at {path}")
        before = path.stat()
        sha = sha256_of(path)
        inbox = InboxFile(path=path, sha256=sha, size=before.st_size, move_to=move_to)
        if ctx.seen_file(sha):
            yield Batch(stream=stream, table=None, label=path.name, file=inbox)
            continue
        try:
            table = read(path, stream)
            inbox.format, inbox.encoding = readers.description(table)
        except readers.FileRejected as exc:
            yield Batch(stream=stream, table=None, label=path.name, file=inbox, rejected=str(exc))
            continue
        after = path.stat()
        if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
            continue                      # changed while we read it: not complete yet; next run
        yield Batch(stream=stream, table=table, label=path.name, file=inbox)


def read_file(source: Source) -> Callable[[Path, Stream], pa.Table]:
    o = source.options

    def read(path: Path, stream: Stream) -> pa.Table:
        fmt = o.get("format", "auto")
        fmt = readers.format_of(path) if fmt == "auto" else fmt
        if fmt == "csv":
            table = readers.read_csv(path, str(o.get("encoding", "auto")), str(o.get("delimiter", ",")))
        elif fmt == "xlsx":
            table = readers.read_xlsx(path, o.get("sheet"))
        elif fmt == "parquet":
            table = readers.read_parquet(path)
        elif fmt == "json":
            table = readers.read_json(path, str(o.get("items_path", "")))
        else:
            raise readers.FileRejected(f"format {fmt} is not read by inbox sources")
        return readers.described(table, fmt)
    return read


def extract(source: Source, ctx: ExtractContext) -> Iterator[Batch]:
    yield from file_batches(source, ctx, read_file(source))
