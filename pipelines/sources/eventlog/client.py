"""Take event logs (XES, .xes.gz or event-log CSV) from a folder or given paths; one batch of events per file."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa

from pipelines.sources import Batch, ExtractContext
from pipelines.sources.config import Source, Stream
from pipelines.sources.eventlog.xes import read_xes
from pipelines.sources.inbox import readers
from pipelines.sources.inbox.client import file_batches

SOURCE_OPTIONS = {
    "path": "folder the logs are dropped into; done/ and rejected/ are made inside it",
    "pattern": "file name pattern (glob), default '*'",
    "format": "xes | csv | auto (by file extension; default auto)",
    "encoding": "CSV text encoding: auto, utf-8, gb18030 (default auto)",
    "delimiter": "CSV field separator (default ',')",
    "settle_s": "a file must be unchanged for this many seconds before it is read (default 2)",
}
REQUIRED_OPTIONS = ("path",)
STREAM_OPTIONS: dict[str, str] = {}


def read_file(source: Source):
    o = source.options

    def read(path: Path, stream: Stream) -> pa.Table:
        fmt = o.get("format", "auto")
        fmt = readers.format_of(path) if fmt == "auto" else fmt
        if fmt == "xes":
            return readers.described(read_xes(path), "xes")
        if fmt == "csv":
            return readers.described(
                readers.read_csv(path, str(o.get("encoding", "auto")), str(o.get("delimiter", ","))), "csv")
        raise readers.FileRejected(f"format {fmt} is not an event log (xes or csv)")
    return read


def extract(source: Source, ctx: ExtractContext) -> Iterator[Batch]:
    yield from file_batches(source, ctx, read_file(source))
