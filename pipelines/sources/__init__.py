"""Source clients: one folder per source type, each exposing the same small interface to the runner.

A client module declares SOURCE_OPTIONS / REQUIRED_OPTIONS / STREAM_OPTIONS (the settings it
accepts in sources.toml) and `extract(source, ctx)`, which yields `Batch`es of records as
received. Everything else — cursor, landing, validation, merge, run log — is the runner's.
"""
from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pyarrow as pa

if TYPE_CHECKING:
    from pipelines.sources.config import Stream

log = logging.getLogger("xiaoneng.pipelines")


def unique_names(names: list[str]) -> list[str]:
    """The names with repeats suffixed _2, _3 ... never clashing with a name already there (a, a, a_2 -> a, a_2,
    a_2_2), so that every column can be told apart."""
    taken: set[str] = set()
    unique = []
    for name in names:
        candidate, n = name, 1
        while candidate in taken:
            n += 1
            candidate = f"{name}_{n}"
        taken.add(candidate)
        unique.append(candidate)
    return unique


class SourceError(RuntimeError):
    """The source could not be read (down, slow, refused, garbage); the run fails and last good data stays."""


@dataclass
class InboxFile:
    """A file taken from an inbox folder: recorded by sha256, moved only after the load commits."""
    path: Path
    sha256: str
    size: int
    move_to: Path | None = None      # the inbox folder (done/ and rejected/ are in it); None leaves the file where it is
    format: str | None = None        # how it was read (csv, xlsx, parquet, json, xes) and its text encoding
    encoding: str | None = None


@dataclass
class Batch:
    stream: "Stream"
    table: pa.Table | None
    label: str                       # where the records came from (table, file, pages), for logs and errors
    cursor_value: str | None = None  # the highest cursor value among these records
    file: InboxFile | None = None
    rejected: str | None = None      # the whole file is unreadable: why


@dataclass
class ExtractContext:
    cursors: dict[str, str | None] = field(default_factory=dict)   # stream name -> stored cursor value
    until: str | None = None                                        # backfill: exclusive upper bound
    seen_file: Callable[[str], bool] = lambda sha: False            # sha256 already processed?
    files: tuple[Path, ...] = ()                                    # explicit files (import), not a folder


_CLIENTS = {
    "sql": "pipelines.sources.sql.client",
    "open311": "pipelines.sources.open311.client",
    "json_api": "pipelines.sources.json_api.client",
    "inbox": "pipelines.sources.inbox.client",
    "eventlog": "pipelines.sources.eventlog.client",
}


def client_for(type_: str) -> ModuleType:
    return importlib.import_module(_CLIENTS[type_])
