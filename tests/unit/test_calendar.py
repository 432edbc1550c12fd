"""Working days and clocks on the official calendar: holidays, make-up days, deadlines, pauses of the clock."""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from pipelines import calendar
from pipelines.calendar import CalendarConfigError, parse_config

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="module")
def cal() -> calendar.Calendar:
    return calendar.Calendar(parse_config({}).default, 2025, 2027, TZ)


def at(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=TZ)


DAYS = [
    # day, is_workday, day_type, holiday name
    ("2026-02-13", True, "workday", None),
    ("2026-02-14", True, "makeup_workday", "春节"),        # Saturday worked for the Spring Festival
    ("2026-02-15", False, "holiday", "春节"),
    ("2026-02-20", False, "holiday", "春节"),              # a Friday inside the holiday
    ("2026-02-23", False, "holiday", "春节"),              # last day of the 2026 Spring Festival
    ("2026-02-24", True, "workday", None),
    ("2026-02-28", True, "makeup_workday", "春节"),        # second make-up Saturday
    ("2026-03-01", False, "weekend", None),
    ("2026-09-20", True, "makeup_workday", "国庆节"),      # Sunday worked for National Day
    ("2026-09-25", False, "holiday", "中秋节"),
    ("2026-10-01", False, "holiday", "国庆节"),
    ("2026-10-07", False, "holiday", "国庆节"),
    # The official 2026 notice gives 1-7 October off; the 8th is an ordinary Thursday.
    ("2026-10-08", True, "workday", None),
    ("2026-10-10", True, "makeup_workday", "国庆节"),      # Saturday worked for National Day
    ("2027-01-01", True, "workday", None),                 # beyond the official calendar: weekdays only
    ("2027-01-02", False, "weekend", None),
]


@pytest.mark.parametrize("day, is_workday, day_type, name", DAYS, ids=[d[0] for d in DAYS])
def test_day_follows_the_official_calendar(cal, day, is_workday, day_type, name):
    rec = cal.day(date.fromisoformat(day))
    assert (rec.is_workday, rec.day_type, rec.holiday_name) == (is_workday, day_type, name)


def test_years_without_official_data_are_assumed_and_say_so(cal):
    assert cal.day(date(2026, 12, 31)).basis == "official"
    assert cal.day(date(2027, 3, 1)).basis == "assumed"
    assert cal.assumed_years == (2027,)
    assert cal.basis_between(date(2026, 12, 20), date(2027, 1, 5)) == "assumed"
    assert cal.basis_between(date(2026, 12, 1), date(2026, 12, 31)) == "official"
    assert "2027" in calendar.assumed_warning(cal.assumed_years)


def test_helper_warns_when_it_counts_on_assumed_days(caplog):
    with caplog.at_level(logging.WARNING, logger="pipelines.calendar"):
        assert calendar.add_workdays(date(2027, 1, 1), 1) == date(2027, 1, 4)
    assert "2027" in caplog.text and "assumed" in caplog.text


def test_workday_count_is_cumulative(cal):
    first = cal.day(date(2026, 2, 13)).workday_seq
    # 14 Feb (make-up Saturday) and 24 Feb are the only working days until the 24th.
    assert cal.day(date(2026, 2, 24)).workday_seq == first + 2
    assert cal.workdays_after(date(2026, 2, 13), date(2026, 2, 24)) == 2


DEADLINES = [
    # received (local unless an offset is given), limit in working days, deadline (local)
    ("friday-before-spring-festival", "2026-02-13 10:00", 3, "2026-02-26 00:00"),
    ("thursday-before-spring-festival", "2026-02-12 16:00", 1, "2026-02-14 00:00"),
    ("inside-spring-festival", "2026-02-18 11:00", 1, "2026-02-25 00:00"),
    ("received-sunday", "2026-03-01 15:00", 3, "2026-03-05 00:00"),
    ("received-saturday", "2026-03-07 09:00", 1, "2026-03-10 00:00"),
    ("crossing-national-day", "2026-09-30 09:00", 1, "2026-10-09 00:00"),
    ("crossing-national-day-to-makeup-saturday", "2026-09-30 09:00", 3, "2026-10-11 00:00"),
    ("received-on-makeup-sunday", "2026-09-20 10:00", 1, "2026-09-22 00:00"),
    ("same-day-workday", "2026-03-02 08:00", 0, "2026-03-03 00:00"),
    ("same-day-sunday", "2026-03-01 20:00", 0, "2026-03-02 00:00"),
    # New York times: 20:30 EDT on 8 March is Monday 08:30 in Shanghai; 20:30 EST the day before is Sunday.
    ("new-york-edt", "2026-03-08T20:30:00-04:00", 1, "2026-03-11 00:00"),
    ("new-york-est", "2026-03-07T20:30:00-05:00", 1, "2026-03-10 00:00"),
    ("utc-late-evening-is-next-day", "2026-03-06T17:00:00+00:00", 1, "2026-03-10 00:00"),
    ("beyond-2026-assumed", "2026-12-31 10:00", 2, "2027-01-05 00:00"),
]


@pytest.mark.parametrize("received, limit, due", [d[1:] for d in DEADLINES], ids=[d[0] for d in DEADLINES])
def test_deadline_counts_working_days_after_the_day_of_receipt(cal, received, limit, due):
    assert cal.deadline(at(received), limit) == at(due)


def test_module_helpers_use_the_same_calendar():
    assert calendar.add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert calendar.workdays_between(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert calendar.deadline(at("2026-02-13 10:00"), 3) == at("2026-02-26 00:00")


def test_work_clock_stands_still_on_days_off(cal):
    friday_evening = at("2026-02-13 18:00")
    assert cal.workdays_between(friday_evening, at("2026-02-14 06:00")) == pytest.approx(0.25 + 0.25)
    # 15-23 February are days off: the clock does not move.
    assert cal.workdays_between(at("2026-02-15 08:00"), at("2026-02-23 20:00")) == 0
    assert cal.workdays_between(at("2026-02-23 20:00"), at("2026-02-24 12:00")) == pytest.approx(0.5)


@pytest.mark.parametrize("moment", ["2026-02-14 06:30", "2026-02-24 00:00:01", "2026-10-08 23:59:59",
                                    "2026-03-02 12:00"])
def test_moment_at_inverts_the_work_clock(cal, moment):
    assert cal.moment_at(cal.work_seconds(at(moment))) == at(moment)


def test_moment_at_a_whole_day_is_the_end_of_that_working_day(cal):
    w = cal.day(date(2026, 2, 13)).workday_seq * calendar.DAY_S
    assert cal.moment_at(w) == at("2026-02-14 00:00")


OFFICE = [
    ("before-office", "2026-03-02 08:00", 0.0),
    ("mid-morning", "2026-03-02 10:30", 1.5),
    ("lunch-break", "2026-03-02 13:00", 3.0),
    ("afternoon", "2026-03-02 15:30", 5.0),
    ("evening", "2026-03-02 20:00", 7.0),
    ("next-morning", "2026-03-03 10:00", 8.0),
    ("weekend-adds-nothing", "2026-03-07 10:00", 35.0),
]


@pytest.mark.parametrize("moment, hours", [o[1:] for o in OFFICE], ids=[o[0] for o in OFFICE])
def test_office_hours_count_only_office_time_on_working_days(cal, moment, hours):
    start = cal.office_seconds(at("2026-03-02 00:00"))
    assert (cal.office_seconds(at(moment)) - start) / 3600 == pytest.approx(hours)


def test_naive_times_are_refused(cal):
    with pytest.raises(ValueError, match="time zone"):
        cal.work_seconds(datetime(2026, 3, 2, 10, 0))


def test_fixed_offset_zone_is_accepted_and_daylight_saving_refused():
    assert calendar.fixed_utc_offset(TZ, date(2004, 1, 1), date(2027, 12, 31)) == timedelta(hours=8)
    with pytest.raises(ValueError, match="daylight saving"):
        calendar.fixed_utc_offset(ZoneInfo("America/New_York"), date(2026, 1, 1), date(2026, 12, 31))
    assert calendar.fixed_utc_offset(timezone.utc, date(2026, 1, 1), date(2026, 1, 2)) == timedelta(0)


def test_local_changes_override_the_official_calendar():
    config = parse_config({"days": [
        {"date": date(2026, 3, 2), "workday": False, "name": "本地停工"},
        {"from": date(2026, 3, 7), "to": date(2026, 3, 8), "workday": True},
    ]})
    cal = calendar.Calendar(config.default, 2026, 2026, TZ)
    assert cal.day(date(2026, 3, 2)).is_workday is False
    assert cal.day(date(2026, 3, 2)).basis == "local"
    assert cal.day(date(2026, 3, 2)).holiday_name == "本地停工"
    assert cal.day(date(2026, 3, 8)).day_type == "local_workday"
    assert cal.basis_between(date(2026, 3, 1), date(2026, 3, 3)) == "local"
    # Received Friday 6 March: the weekend is worked, so one working day ends with Saturday.
    assert cal.deadline(at("2026-03-06 10:00"), 1) == at("2026-03-08 00:00")


def test_unit_calendar_inherits_the_deployment_changes():
    config = parse_config({
        "days": [{"date": date(2026, 3, 2), "workday": False}],
        "calendars": {"port": {"units": ["B05"], "office_hours": ["08:00-12:00"],
                               "days": [{"date": date(2026, 3, 7), "workday": True}]}},
    })
    port = next(c for c in config.units if c.calendar_id == "port")
    cal = calendar.Calendar(port, 2026, 2026, TZ)
    assert cal.day(date(2026, 3, 2)).is_workday is False
    assert cal.day(date(2026, 3, 7)).is_workday is True
    assert calendar.office_seconds_of_day(port.office_hours) == 4 * 3600


def test_the_shipped_calendar_file_is_valid():
    config = calendar.load_config()
    assert calendar.office_seconds_of_day(config.default.office_hours) == 7 * 3600


BAD_CONFIGS = [
    ("unknown-top-key", {"office_hour": ["09:00-12:00"]}, "unknown key 'office_hour'"),
    ("office-hours-reversed", {"office_hours": ["12:00-09:00"]}, "office_hours[0]"),
    ("office-hours-overlap", {"office_hours": ["09:00-12:00", "11:00-13:00"]}, "office_hours[1]"),
    ("office-hours-not-time", {"office_hours": ["nine-to-five"]}, "HH:MM-HH:MM"),
    ("day-unknown-key", {"days": [{"date": date(2026, 1, 5), "workday": False, "why": "x"}]}, "unknown key 'why'"),
    ("day-workday-not-bool", {"days": [{"date": date(2026, 1, 5), "workday": "no"}]}, "days[0].workday"),
    ("day-date-quoted", {"days": [{"date": "2026-01-05", "workday": False}]}, "days[0].date"),
    ("range-reversed", {"days": [{"from": date(2026, 1, 5), "to": date(2026, 1, 1), "workday": False}]},
     "is before"),
    ("unit-calendar-no-units", {"calendars": {"port": {"office_hours": ["08:00-12:00"]}}}, "calendars.port].units"),
    ("unit-in-two-calendars", {"calendars": {"a": {"units": ["B01"]}, "b": {"units": ["B01"]}}},
     "already follows calendar 'a'"),
    ("reserved-id", {"calendars": {"default": {"units": ["B01"]}}}, "reserved"),
]


@pytest.mark.parametrize("data, message", [b[1:] for b in BAD_CONFIGS], ids=[b[0] for b in BAD_CONFIGS])
def test_invalid_calendar_config_names_the_key(data, message):
    with pytest.raises(CalendarConfigError) as err:
        parse_config(data)
    assert message in str(err.value)
