"""Working days and office hours as a vectorised clock: local times <-> seconds of working time.

Times are int64 seconds of local wall-clock time since 1970-01-01 00:00 (a naive local epoch).
Working time counts only office hours (08:30-12:00, 14:00-17:30) of working days; official
holidays and make-up working days (调休) come from `chinese_calendar` for the years it knows,
and beyond them only weekends are days off. Durations drawn in working time and mapped back
put every ordinary event inside office hours on a working day.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar
import numpy as np

DAY = 86_400
AM_START, AM_END = 8 * 3600 + 1800, 12 * 3600
PM_START, PM_END = 14 * 3600, 17 * 3600 + 1800
HALF = AM_END - AM_START
SHIFT = HALF + (PM_END - PM_START)  # working seconds in one working day
NAT = np.iinfo(np.int64).min        # datetime64 NaT seen as int64: "has not happened"
EPOCH = dt.date(1970, 1, 1)


def epoch_day(day: dt.date) -> int:
    return (day - EPOCH).days


def local_seconds(moment: dt.datetime, tz: dt.tzinfo) -> int:
    """An aware time as seconds of local wall-clock time in `tz`."""
    local = moment.astimezone(tz).replace(tzinfo=None)
    return int((local - dt.datetime(1970, 1, 1)).total_seconds())


@lru_cache(maxsize=1)
def _official() -> tuple[np.ndarray, np.ndarray]:
    holidays = np.array(sorted(epoch_day(d) for d in chinese_calendar.holidays), dtype=np.int64)
    workdays = np.array(sorted(epoch_day(d) for d in chinese_calendar.workdays), dtype=np.int64)
    return holidays, workdays


def workday_flags(first_day: int, n_days: int) -> np.ndarray:
    """Is each day from `first_day` (epoch day) a working day: weekdays, minus holidays, plus make-up days."""
    days = first_day + np.arange(n_days, dtype=np.int64)
    flags = (days + 3) % 7 < 5  # 1970-01-01 was a Thursday, so (day + 3) % 7 is 0 on Mondays
    for official, value in zip(_official(), (False, True)):
        inside = official[(official >= first_day) & (official < first_day + n_days)]
        flags[inside - first_day] = value
    return flags


class WorkClock:
    """Maps local seconds to working seconds and back over a fixed range of days."""

    def __init__(self, first_day: int, last_day: int):
        self.first = int(first_day)
        self.flags = workday_flags(self.first, int(last_day) - self.first + 1)
        counts = np.cumsum(self.flags)
        self.before = np.concatenate([[0], counts[:-1]]).astype(np.int64)  # working days before each day
        self.workdays = np.flatnonzero(self.flags).astype(np.int64) + self.first

    @classmethod
    def spanning(cls, first_day: int, last_day: int, margin_days: int = 3 * 366) -> WorkClock:
        """A clock from a little before `first_day` to well after `last_day`, for long-tailed durations."""
        return cls(first_day - 31, last_day + margin_days)

    @property
    def last(self) -> int:
        return self.first + len(self.flags) - 1

    def _index(self, days: np.ndarray) -> np.ndarray:
        index = np.asarray(days, dtype=np.int64) - self.first
        if index.size and (index.min() < 0 or index.max() >= len(self.flags)):
            raise ValueError("time outside the range of the working-day clock")
        return index

    def is_workday(self, days: np.ndarray) -> np.ndarray:
        return self.flags[self._index(days)]

    def day_start(self, days: np.ndarray) -> np.ndarray:
        """Working seconds at the start of each day (the next working moment when it is a day off)."""
        return self.before[self._index(days)] * SHIFT

    def to_work(self, t: np.ndarray) -> np.ndarray:
        """Working seconds elapsed up to local time `t`; off-hours map to the next working moment."""
        t = np.asarray(t, dtype=np.int64)
        day = t // DAY
        sod = t - day * DAY
        index = self._index(day)
        inside = np.clip(sod - AM_START, 0, HALF) + np.clip(sod - PM_START, 0, HALF)
        return self.before[index] * SHIFT + np.where(self.flags[index], inside, 0)

    def from_work(self, w: np.ndarray) -> np.ndarray:
        """Local time at which `w` working seconds have elapsed (always inside office hours)."""
        w = np.asarray(w, dtype=np.int64)
        k = w // SHIFT
        if k.size and k.max() >= len(self.workdays):
            raise ValueError("working time beyond the range of the working-day clock")
        offset = w - k * SHIFT
        sod = np.where(offset < HALF, AM_START + offset, PM_START + offset - HALF)
        return self.workdays[k] * DAY + sod

    def close_of_business(self, w: np.ndarray) -> np.ndarray:
        """17:30 local time of the working day in which working moment `w` falls."""
        k = np.asarray(w, dtype=np.int64) // SHIFT
        return self.workdays[k] * DAY + PM_END
