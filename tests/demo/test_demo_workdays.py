"""The demo's working-day clock: official holidays, make-up days, weekends beyond the official years, office hours."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from demo.workdays import DAY, SHIFT, WorkClock, epoch_day


def seconds(text: str) -> int:
    """Local wall-clock seconds of 'YYYY-MM-DD HH:MM'."""
    moment = dt.datetime.fromisoformat(text)
    return int((moment - dt.datetime(1970, 1, 1)).total_seconds())


@pytest.fixture(scope="module")
def clock() -> WorkClock:
    return WorkClock(epoch_day(dt.date(2026, 1, 1)), epoch_day(dt.date(2027, 12, 31)))


@pytest.mark.parametrize(("day", "working"), [
    pytest.param("2026-10-01", False, id="national-day"),
    pytest.param("2026-10-07", False, id="national-day-last"),
    pytest.param("2026-10-08", True, id="thursday-after-holiday"),
    pytest.param("2026-09-20", True, id="make-up-sunday"),
    pytest.param("2026-10-10", True, id="make-up-saturday"),
    pytest.param("2026-10-11", False, id="plain-sunday"),
    pytest.param("2026-02-16", False, id="spring-festival-monday"),
    pytest.param("2027-02-08", True, id="beyond-official-years-monday"),
    pytest.param("2027-01-09", False, id="beyond-official-years-saturday"),
])
def test_working_days_follow_the_official_calendar(clock, day, working):
    assert bool(clock.is_workday(np.array([epoch_day(dt.date.fromisoformat(day))]))[0]) is working


@pytest.mark.parametrize(("moment", "expected"), [
    pytest.param("2026-03-03 10:00", "2026-03-03 10:00", id="office-hours-unchanged"),
    pytest.param("2026-03-03 12:30", "2026-03-03 14:00", id="lunch-to-afternoon"),
    pytest.param("2026-03-03 19:00", "2026-03-04 08:30", id="evening-to-next-morning"),
    pytest.param("2026-09-30 18:00", "2026-10-08 08:30", id="holiday-skipped"),
    pytest.param("2026-10-09 18:00", "2026-10-10 08:30", id="make-up-saturday-works"),
])
def test_off_hours_map_to_the_next_working_moment(clock, moment, expected):
    back = clock.from_work(clock.to_work(np.array([seconds(moment)])))
    assert back[0] == seconds(expected)


def test_a_working_day_later_skips_the_holiday(clock):
    start = clock.to_work(np.array([seconds("2026-09-30 10:00")]))
    assert clock.from_work(start + SHIFT)[0] == seconds("2026-10-08 10:00")
    assert clock.close_of_business(start)[0] == seconds("2026-09-30 17:30")


def test_working_time_never_falls_outside_office_hours(clock):
    w = np.random.default_rng(0).integers(0, 400 * SHIFT, 10_000)
    t = clock.from_work(w)
    sod = t % DAY
    assert np.all(((sod >= 8 * 3600 + 1800) & (sod <= 12 * 3600)) | ((sod >= 14 * 3600) & (sod <= 17 * 3600 + 1800)))
    assert np.all(clock.is_workday(t // DAY))
    assert np.array_equal(clock.to_work(t), w)


def test_times_outside_the_clock_are_refused(clock):
    with pytest.raises(ValueError):
        clock.to_work(np.array([seconds("2025-06-01 10:00")]))
