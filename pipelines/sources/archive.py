"""Keep every batch as received, as a file: where it is kept, its sha256, and the Parquet file of pulled records.

An inbox file is kept as it was dropped (the runner moves it to done/ after the commit). The records of a
database or API pull are written as one Parquet file per batch, and a file loaded with `import` (left
where it was) is copied; both are written under a temporary name in <raw>/.incoming/ during the run and
renamed to their place, <raw>/<source>/<YYYY-MM>/run<run_id>-<first_record_no>..., only after the run
commits. A temporary file left by a crash is settled by the next run: renamed when its run committed,
deleted when its run failed. A past month's pull files are merged into one by compact.py.
"""
from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines import sources

INCOMING = ".incoming"
_TEMP_NAME = re.compile(r"^(\d+)-(\d+)(\..*)?$")     # <run_id>-<first_record_no>.<suffix>
_PULLED_NAME = re.compile(r"^run(\d+)-(\d+)\.parquet$")
_SAFE = re.compile(r"[^\w.\-]+")


@dataclass
class Kept:
    """The file that keeps one batch as received (one raw_batch_file row)."""
    location: Path                  # where the file is kept once the run has committed
    sha256: str
    format: str                     # csv | xlsx | parquet | json | xes
    encoding: str | None = None
    pending: Path | None = None     # the temporary file renamed to `location` after the commit


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def incoming(raw_dir: Path) -> Path:
    return raw_dir / INCOMING


def _place(raw_dir: Path, source: str, loaded_at: datetime, run_id: int, first_record_no: int, tail: str) -> Path:
    return raw_dir / _SAFE.sub("_", source) / f"{loaded_at:%Y-%m}" / f"run{run_id}-{first_record_no}{tail}"


def _temp(raw_dir: Path, run_id: int, first_record_no: int, suffix: str) -> Path:
    folder = incoming(raw_dir)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{run_id}-{first_record_no}{suffix}"


def temp_key(path: Path) -> tuple[int, int] | None:
    """The run id and first record number a temporary file was written for, or None for another name."""
    match = _TEMP_NAME.match(path.name)
    return (int(match.group(1)), int(match.group(2))) if match else None


def pulled_key(path: Path) -> tuple[int, int] | None:
    """The run id and first record number of a pull's own Parquet file, or None for another name (a copy of an
    imported file is named run<run_id>-<first_record_no>-<its name>)."""
    match = _PULLED_NAME.match(path.name)
    return (int(match.group(1)), int(match.group(2))) if match else None


def unique_names(table: pa.Table) -> pa.Table:
    """The table with repeated column names made unique (name, name_2, ...), so that every column can be read back."""
    names = list(table.column_names)
    return table if len(set(names)) == len(names) else table.rename_columns(sources.unique_names(names))


def records_place(raw_dir: Path, source: str, loaded_at: datetime, run_id: int,
                  first_record_no: int) -> tuple[Path, Path]:
    """Where pulled records are written during the run (temporary) and where they are kept once it commits."""
    return (_temp(raw_dir, run_id, first_record_no, ".parquet"),
            _place(raw_dir, source, loaded_at, run_id, first_record_no, ".parquet"))


def write_records(table: pa.Table, temp: Path) -> str:
    """Write pulled records as one Parquet file (zstd), each column with the type it arrived with; its sha256."""
    # Without dictionary pages: zstd alone packs repeated values as well, in about two thirds of the time.
    pq.write_table(unique_names(table), temp, compression="zstd", use_dictionary=False, row_group_size=122_880)
    return sha256_of(temp)


def keep_copy(path: Path, sha256: str, fmt: str, encoding: str | None, raw_dir: Path, source: str,
              loaded_at: datetime, run_id: int, first_record_no: int) -> Kept:
    """Copy a file that stays where it was (an import) byte for byte into the archive."""
    temp = _temp(raw_dir, run_id, first_record_no, "".join(path.suffixes) or ".file")
    shutil.copyfile(path, temp)
    tail = "-" + _SAFE.sub("_", path.name)
    return Kept(location=_place(raw_dir, source, loaded_at, run_id, first_record_no, tail), sha256=sha256,
                format=fmt, encoding=encoding, pending=temp)
