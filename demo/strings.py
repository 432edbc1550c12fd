"""Vectorised text for the demo sources: times, identifiers and titles without a Python loop per row.

Text is built as fixed-width UTF-8 byte arrays (numpy 'S' dtype) and turned into pandas string
columns once at the end, so millions of rows format in about a second.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow as pa

from demo.workdays import DAY, NAT


@lru_cache(maxsize=1)
def _time_of_day() -> np.ndarray:
    seconds = np.arange(DAY)
    return np.array([f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in seconds], dtype="S8")


def _dates(days: np.ndarray, compact: bool = False) -> np.ndarray:
    """'YYYY-MM-DD' (or 'YYYYMMDD') for epoch days, via a table of the distinct days."""
    if days.size == 0:
        return np.array([], dtype="S8" if compact else "S10")
    low = int(days.min())
    table = np.datetime_as_string(np.arange(low, int(days.max()) + 1).astype("datetime64[D]"))
    table = table.astype("S10")
    if compact:
        table = np.strings.replace(table, b"-", b"")
    return table[days - low]


def concat(*parts: np.ndarray | bytes | str) -> np.ndarray:
    """Element-wise concatenation of byte arrays and constants."""
    out = None
    for part in parts:
        if isinstance(part, str):
            part = part.encode()
        out = part if out is None else np.strings.add(out, part)
    return np.asarray(out)


def pick(words: tuple[str, ...] | list[str], index: np.ndarray) -> np.ndarray:
    """The words at `index`, as UTF-8 bytes."""
    table = np.array([w.encode() for w in words])
    return table[index]


def number(values: np.ndarray, width: int) -> np.ndarray:
    """Zero-padded decimal numbers as bytes."""
    values = np.asarray(values, dtype=np.int64).astype("S20")
    return np.strings.zfill(values, width) if values.size else values.astype(f"S{width}")


def column(words: tuple[str, ...] | list[str], index: np.ndarray) -> pd.Series:
    """A pandas string column holding the words at `index`."""
    return series(pick(words, index))


def series(values: np.ndarray, valid: np.ndarray | None = None) -> pd.Series:
    """A pandas string column from UTF-8 bytes; rows not `valid` are missing."""
    array = pa.array(values, type=pa.binary(), mask=None if valid is None else ~valid).cast(pa.string())
    return array.to_pandas()


def _filled(t: np.ndarray) -> np.ndarray:
    """Times with NaT replaced by a real time of the same array, so tables stay small; mask them later."""
    t = np.asarray(t, dtype=np.int64)
    missing = t == NAT
    if not missing.any():
        return t
    return np.where(missing, t[~missing][0] if (~missing).any() else 0, t)


def local_text(t: np.ndarray, sep: str = " ") -> np.ndarray:
    """'YYYY-MM-DD HH:MM:SS' for local seconds (NaT rows give a placeholder to be masked)."""
    t = _filled(t)
    day = t // DAY
    out = np.empty(t.shape, dtype=[("d", "S10"), ("sep", "S1"), ("t", "S8")])
    out["d"] = _dates(day)
    out["sep"] = sep.encode()
    out["t"] = _time_of_day()[t - day * DAY]
    return out.view("S19").reshape(t.shape)


def date_text(t: np.ndarray, compact: bool = False) -> np.ndarray:
    t = _filled(t)
    return _dates(t // DAY, compact=compact)


@lru_cache(maxsize=16)
def _offset_table(tz_name: str, first_hour: int, last_hour: int) -> np.ndarray:
    """The '+08:00' offset text in zone `tz_name` for each local hour in a range."""
    tz = ZoneInfo(tz_name)

    def offset_at(hour: int) -> bytes:
        local = dt.datetime(1970, 1, 1) + dt.timedelta(hours=int(hour))
        minutes = int(local.replace(tzinfo=tz).utcoffset().total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}".encode()

    return np.array([offset_at(h) for h in range(first_hour, last_hour + 1)], dtype="S6")


def iso_text(t: np.ndarray, tz_name: str) -> np.ndarray:
    """'YYYY-MM-DDTHH:MM:SS+08:00' for local seconds in zone `tz_name`."""
    t = _filled(t)
    out = np.empty(t.shape, dtype=[("s", "S19"), ("o", "S6")])
    out["s"] = local_text(t, sep="T")
    if t.size:
        hours = t // 3600
        low = int(hours.min())
        out["o"] = _offset_table(tz_name, low, int(hours.max()))[hours - low]
    return out.view("S25").reshape(t.shape)
