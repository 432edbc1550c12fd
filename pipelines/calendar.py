"""Working days and clocks: the official calendar with local changes; the one place working-day arithmetic lives.

The clock used everywhere counts *working time* in seconds: each working day contributes 86,400 seconds
spread over its 24 local hours, days off contribute nothing. `work_seconds(t)` is that clock's reading at
an instant; a deadline of n working days for an item received on day D ends with the n-th working day
after D (the day of receipt is not counted, as in Chinese law on time limits), so a request received on a
Sunday starts counting on Monday. The same numbers are written to `calendar_day` so the set-based SQL of
the lights uses exactly this arithmetic; the Python helpers here serve tests and tools.
"""
from __future__ import annotations

import functools
import logging
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import chinese_calendar
import pyarrow as pa

from pipelines import settings

LOG = logging.getLogger(__name__)

DEFAULT_ID = "default"
DAY_S = 86_400
DEFAULT_OFFICE_HOURS = ("09:00-12:00", "13:30-17:30")

# The holiday names of chinese_calendar, in the words the UI shows.
HOLIDAY_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


class CalendarConfigError(ValueError):
    """config/calendar.toml is not valid; the message names the key."""


class OutsideCalendar(LookupError):
    """A date or working-day count falls outside the days a Calendar was built for."""


@dataclass(frozen=True)
class DayChange:
    """A local change to the official calendar: this day is (or is not) a working day."""
    day: date
    is_workday: bool
    name: str | None


@dataclass(frozen=True)
class CalendarSpec:
    """One calendar: the deployment's (id 'default') or one followed by unit subtrees."""
    calendar_id: str
    units: tuple[str, ...]
    office_hours: tuple[tuple[int, int], ...]    # (start, end) seconds after local midnight
    changes: dict[date, DayChange] = field(default_factory=dict)


@dataclass(frozen=True)
class CalendarConfig:
    default: CalendarSpec
    units: tuple[CalendarSpec, ...] = ()

    @property
    def all(self) -> tuple[CalendarSpec, ...]:
        return (self.default, *self.units)


@dataclass(frozen=True)
class Day:
    day: date
    is_workday: bool
    day_type: str            # workday | weekend | holiday | makeup_workday | local_workday | local_day_off
    holiday_name: str | None     # Chinese name of the holiday (also on its make-up working days)
    holiday_name_en: str | None
    basis: str               # official | local | assumed
    workday_seq: int         # working days from the calendar's first day up to and including this day
    office_s: int            # office seconds on this day (0 on days off)
    office_s_before: int     # office seconds on all earlier days of the calendar
    assumed_seq: int         # days with basis 'assumed' up to and including this day
    local_seq: int           # days with basis 'local' up to and including this day


def _parse_office_hours(value: object, where: str) -> tuple[tuple[int, int], ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise CalendarConfigError(f"{where}: office_hours must be a list of \"HH:MM-HH:MM\" strings")
    spans = []
    for i, text in enumerate(value):
        try:
            start_text, end_text = text.split("-")
            start = time.fromisoformat(start_text.strip())
            end = time.fromisoformat(end_text.strip())
        except ValueError:
            raise CalendarConfigError(
                f"{where}: office_hours[{i}] {text!r} is not of the form \"HH:MM-HH:MM\"") from None
        start_s = start.hour * 3600 + start.minute * 60
        end_s = end.hour * 3600 + end.minute * 60
        if end_s <= start_s:
            raise CalendarConfigError(f"{where}: office_hours[{i}] {text!r}: the end must be after the start")
        if spans and start_s < spans[-1][1]:
            raise CalendarConfigError(
                f"{where}: office_hours[{i}] {text!r} overlaps or precedes the span before it")
        spans.append((start_s, end_s))
    return tuple(spans)


def _check_keys(table: dict, allowed: Iterable[str], where: str) -> None:
    allowed = tuple(allowed)
    for key in table:
        if key not in allowed:
            raise CalendarConfigError(f"{where}: unknown key {key!r} (allowed: {', '.join(allowed)})")


def _parse_days(value: object, where: str) -> dict[date, DayChange]:
    if not isinstance(value, list):
        raise CalendarConfigError(f"{where}: must be an array of tables ([[days]])")
    changes: dict[date, DayChange] = {}
    for i, entry in enumerate(value):
        here = f"{where}[{i}]"
        if not isinstance(entry, dict):
            raise CalendarConfigError(f"{here}: must be a table")
        _check_keys(entry, ("date", "from", "to", "workday", "name"), here)
        workday = entry.get("workday")
        if not isinstance(workday, bool):
            raise CalendarConfigError(f"{here}.workday: must be true or false")
        name = entry.get("name")
        if name is not None and not isinstance(name, str):
            raise CalendarConfigError(f"{here}.name: must be a string")
        if "date" in entry:
            if "from" in entry or "to" in entry:
                raise CalendarConfigError(f"{here}: give either date or from/to, not both")
            first = last = entry["date"]
            key = "date"
        else:
            if "from" not in entry or "to" not in entry:
                raise CalendarConfigError(f"{here}: needs date, or both from and to")
            first, last = entry["from"], entry["to"]
            key = "from"
        checks = (("date", first),) if key == "date" else (("from", first), ("to", last))
        for k, v in checks:
            if not isinstance(v, date) or isinstance(v, datetime):
                raise CalendarConfigError(f"{here}.{k}: must be a date like 2026-10-09 (no quotes)")
        if last < first:
            raise CalendarConfigError(f"{here}: 'to' {last} is before 'from' {first}")
        day = first
        while day <= last:
            changes[day] = DayChange(day, workday, name)
            day += timedelta(days=1)
    return changes


def parse_config(data: dict, source: str = "calendar.toml") -> CalendarConfig:
    """Validate the parsed TOML of a calendar file and build its calendars."""
    _check_keys(data, ("office_hours", "days", "calendars"), source)
    office = _parse_office_hours(list(data.get("office_hours", DEFAULT_OFFICE_HOURS)), f"{source}: office_hours")
    changes = _parse_days(data.get("days", []), f"{source}: days")
    default = CalendarSpec(DEFAULT_ID, (), office, changes)
    units = []
    calendars = data.get("calendars", {})
    if not isinstance(calendars, dict):
        raise CalendarConfigError(f"{source}: calendars must be a table of calendars ([calendars.<id>])")
    seen_units: dict[str, str] = {}
    for calendar_id, entry in calendars.items():
        where = f"{source}: [calendars.{calendar_id}]"
        if calendar_id == DEFAULT_ID:
            raise CalendarConfigError(f"{where}: the id {DEFAULT_ID!r} is reserved for the deployment calendar")
        if not isinstance(entry, dict):
            raise CalendarConfigError(f"{where}: must be a table")
        _check_keys(entry, ("units", "office_hours", "days"), where)
        unit_list = entry.get("units")
        if not isinstance(unit_list, list) or not unit_list or not all(isinstance(u, str) for u in unit_list):
            raise CalendarConfigError(f"{where}.units: must be a non-empty list of unit codes")
        for unit in unit_list:
            if unit in seen_units:
                raise CalendarConfigError(
                    f"{where}.units: unit {unit!r} already follows calendar {seen_units[unit]!r}")
            seen_units[unit] = calendar_id
        unit_office = (_parse_office_hours(entry["office_hours"], f"{where}.office_hours")
                       if "office_hours" in entry else office)
        unit_changes = {**changes, **_parse_days(entry.get("days", []), f"{where}.days")}
        units.append(CalendarSpec(calendar_id, tuple(unit_list), unit_office, unit_changes))
    return CalendarConfig(default, tuple(units))


def config_path() -> Path:
    return settings.path("XIAONENG_CONFIG") / "calendar.toml"


def load_config(path: Path | None = None) -> CalendarConfig:
    """Read and validate config/calendar.toml; a missing file means the official calendar unchanged."""
    path = path or config_path()
    if not path.exists():
        LOG.info("no %s: using the official calendar and office hours %s", path, ", ".join(DEFAULT_OFFICE_HOURS))
        return parse_config({}, path.name)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CalendarConfigError(f"{path.name}: not valid TOML: {exc}") from None
    return parse_config(data, path.name)


@functools.lru_cache(maxsize=64)
def official_year_known(year: int) -> bool:
    """Whether the official calendar (holidays and make-up days) of this year is known."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def _base_day(day: date) -> tuple[bool, str, str | None, str]:
    """(is_workday, day_type, holiday name in English, basis) from the official calendar alone."""
    weekend = day.weekday() >= 5
    if not official_year_known(day.year):
        return (not weekend, "weekend" if weekend else "workday", None, "assumed")
    is_workday = chinese_calendar.is_workday(day)
    _, name = chinese_calendar.get_holiday_detail(day)
    if is_workday:
        day_type = "makeup_workday" if weekend else "workday"
    else:
        day_type = "holiday" if name else "weekend"
    return is_workday, day_type, name, "official"


def office_seconds_of_day(office_hours: tuple[tuple[int, int], ...]) -> int:
    return sum(end - start for start, end in office_hours)


def office_elapsed(office_hours: tuple[tuple[int, int], ...], seconds: int) -> int:
    """Office seconds from local midnight up to `seconds` after it."""
    return sum(max(0, min(seconds, end) - start) for start, end in office_hours)


class Calendar:
    """The days of one calendar over whole years, with the clocks the lights use."""

    def __init__(self, spec: CalendarSpec, first_year: int, last_year: int, tz: tzinfo | None = None):
        self.spec = spec
        self.tz = tz or ZoneInfo(settings.get("XIAONENG_TZ"))
        self.first = date(first_year, 1, 1)
        self.last = date(last_year, 12, 31)
        self.assumed_years = tuple(y for y in range(first_year, last_year + 1) if not official_year_known(y))
        office_day = office_seconds_of_day(spec.office_hours)
        days: list[Day] = []
        seq = office_before = assumed = local = 0
        day = self.first
        while day <= self.last:
            is_workday, day_type, name_en, basis = _base_day(day)
            name_zh = HOLIDAY_ZH.get(name_en, name_en) if name_en else None
            change = spec.changes.get(day)
            if change is not None:
                is_workday = change.is_workday
                day_type = "local_workday" if is_workday else "local_day_off"
                name_zh = change.name or name_zh
                name_en = change.name or name_en
                basis = "local"
            seq += is_workday
            assumed += basis == "assumed"
            local += basis == "local"
            office = office_day if is_workday else 0
            days.append(Day(day, is_workday, day_type, name_zh, name_en, basis, seq, office, office_before,
                            assumed, local))
            office_before += office
            day += timedelta(days=1)
        self.days = days
        self._by_seq = {d.workday_seq: d for d in days if d.is_workday}

    # -- lookups

    def day(self, value: date) -> Day:
        index = (value - self.first).days
        if not 0 <= index < len(self.days):
            raise OutsideCalendar(f"{value} is outside the calendar {self.first}..{self.last}")
        return self.days[index]

    def workday_by_seq(self, seq: int) -> Day:
        try:
            return self._by_seq[seq]
        except KeyError:
            raise OutsideCalendar(f"working day #{seq} is outside the calendar {self.first}..{self.last}") from None

    def local(self, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            raise ValueError(f"{moment!r} has no time zone; times must be aware")
        return moment.astimezone(self.tz)

    def start_of(self, day: date) -> datetime:
        return datetime.combine(day, time(), self.tz)

    # -- the working-time clock

    def work_seconds(self, moment: datetime) -> int:
        """Working seconds from the calendar's start to `moment` (days off do not count)."""
        local = self.local(moment)
        rec = self.day(local.date())
        before = (rec.workday_seq - rec.is_workday) * DAY_S
        if rec.is_workday:
            before += local.hour * 3600 + local.minute * 60 + local.second
        return before

    def moment_at(self, work_s: int) -> datetime:
        """The earliest instant at which the working-time clock reads `work_s` (the inverse of work_seconds)."""
        seq = -(-work_s // DAY_S)
        rec = self.workday_by_seq(seq)
        local = datetime.combine(rec.day, time()) + timedelta(seconds=work_s - (seq - 1) * DAY_S)
        return local.replace(tzinfo=self.tz)

    def office_seconds(self, moment: datetime) -> int:
        """Office seconds (working days, office hours only) from the calendar's start to `moment`."""
        local = self.local(moment)
        rec = self.day(local.date())
        elapsed = 0
        if rec.is_workday:
            elapsed = office_elapsed(self.spec.office_hours, local.hour * 3600 + local.minute * 60 + local.second)
        return rec.office_s_before + elapsed

    def clock_start(self, received: datetime) -> int:
        """Working seconds at which an item's clock starts: the end of the day of receipt."""
        return self.day(self.local(received).date()).workday_seq * DAY_S

    def deadline(self, received: datetime, limit_days: int) -> datetime:
        """The end of the `limit_days`-th working day after the day of receipt (0: the end of that day)."""
        if limit_days < 0:
            raise ValueError("limit_days must not be negative")
        due = self.moment_at(self.clock_start(received) + limit_days * DAY_S)
        end_of_receipt = self.start_of(self.local(received).date() + timedelta(days=1))
        return max(due, end_of_receipt)

    def workdays_between(self, start: datetime, end: datetime) -> float:
        """Working days elapsed between two instants (negative when end is before start)."""
        return (self.work_seconds(end) - self.work_seconds(start)) / DAY_S

    def add_workdays(self, day: date, n: int) -> date:
        """The n-th working day after `day` (`day` itself not counted); n = 0 gives `day`."""
        if n == 0:
            return day
        if n < 0:
            raise ValueError("n must not be negative")
        return self.workday_by_seq(self.day(day).workday_seq + n).day

    def workdays_after(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`."""
        return self.day(end).workday_seq - self.day(start).workday_seq

    def basis_between(self, start: date, end: date) -> str:
        """'assumed' if any day in [start, end] is assumed, else 'local' if any is a local change, else 'official'."""
        first, last = self.day(min(start, end)), self.day(max(start, end))
        if last.assumed_seq - first.assumed_seq + (first.basis == "assumed") > 0:
            return "assumed"
        if last.local_seq - first.local_seq + (first.basis == "local") > 0:
            return "local"
        return "official"

    # -- tables for SQL

    def day_rows(self) -> dict[str, list]:
        rows: dict[str, list] = {k: [] for k in (
            "calendar_id", "day", "is_workday", "day_type", "holiday_name", "holiday_name_en", "basis",
            "workday_seq", "office_s", "office_s_before", "assumed_seq", "local_seq")}
        for d in self.days:
            rows["calendar_id"].append(self.spec.calendar_id)
            rows["day"].append(d.day)
            rows["is_workday"].append(d.is_workday)
            rows["day_type"].append(d.day_type)
            rows["holiday_name"].append(d.holiday_name)
            rows["holiday_name_en"].append(d.holiday_name_en)
            rows["basis"].append(d.basis)
            rows["workday_seq"].append(d.workday_seq)
            rows["office_s"].append(d.office_s)
            rows["office_s_before"].append(d.office_s_before)
            rows["assumed_seq"].append(d.assumed_seq)
            rows["local_seq"].append(d.local_seq)
        return rows

    def office_minute_rows(self) -> dict[str, list]:
        """Office seconds elapsed at the start of each minute of a working day, and whether that minute is office time."""
        rows: dict[str, list] = {"calendar_id": [], "minute_of_day": [], "elapsed_s": [], "in_office": []}
        for minute in range(24 * 60 + 1):
            second = minute * 60
            rows["calendar_id"].append(self.spec.calendar_id)
            rows["minute_of_day"].append(minute)
            rows["elapsed_s"].append(office_elapsed(self.spec.office_hours, second))
            rows["in_office"].append(any(start <= second < end for start, end in self.spec.office_hours))
        return rows


def fixed_utc_offset(tz: tzinfo, first: date, last: date) -> timedelta:
    """The zone's UTC offset, which must not change between `first` and `last` (no daylight saving).

    The lights turn instants into local days with plain arithmetic; zones used for Chinese public
    administration (Asia/Shanghai, Asia/Urumqi) have had a fixed offset since 1991.
    """
    offsets = set()
    day = first
    while day <= last:
        offsets.add(datetime.combine(day, time(12), tz).utcoffset())
        day += timedelta(days=1)
    if len(offsets) != 1:
        raise ValueError(f"time zone {tz} changes its UTC offset between {first} and {last} (daylight saving); "
                         "working-day clocks need a zone with a fixed offset such as Asia/Shanghai")
    return offsets.pop()


def assumed_warning(years: Iterable[int]) -> str | None:
    years = sorted(set(years))
    if not years:
        return None
    listed = ", ".join(str(y) for y in years)
    return (f"no official holiday calendar is known for {listed}: working days there are assumed to be "
            f"Monday to Friday (basis 'assumed'); add the official days to config/calendar.toml when published")


def build(config: CalendarConfig, first_year: int, last_year: int, tz: tzinfo | None = None) -> list[Calendar]:
    """Every calendar of the configuration over the given years."""
    return [Calendar(spec, first_year, last_year, tz) for spec in config.all]


def frames(calendars: list[Calendar]) -> tuple[pa.Table, pa.Table, pa.Table]:
    """(calendar days, office minutes, calendar units) as Arrow tables for loading into DuckDB."""
    days: dict[str, list] = {}
    minutes: dict[str, list] = {}
    for cal in calendars:
        for target, rows in ((days, cal.day_rows()), (minutes, cal.office_minute_rows())):
            for key, values in rows.items():
                target.setdefault(key, []).extend(values)
    units = {"calendar_id": [], "unit_code": []}
    for cal in calendars:
        for unit in cal.spec.units:
            units["calendar_id"].append(cal.spec.calendar_id)
            units["unit_code"].append(unit)
    unit_schema = pa.schema([("calendar_id", pa.string()), ("unit_code", pa.string())])
    return pa.table(days), pa.table(minutes), pa.table(units, schema=unit_schema)


@functools.lru_cache(maxsize=16)
def _cached(config_file: str, mtime: float, first_year: int, last_year: int, tz_name: str) -> Calendar:
    return Calendar(load_config(Path(config_file)).default, first_year, last_year, ZoneInfo(tz_name))


def default_calendar(first_year: int, last_year: int) -> Calendar:
    """The deployment calendar over whole years, read from the configuration folder."""
    path = config_path()
    mtime = path.stat().st_mtime if path.exists() else 0.0
    return _cached(str(path), mtime, first_year, last_year, settings.get("XIAONENG_TZ"))


def _covering(first: date, last: date) -> Calendar:
    return default_calendar(min(first.year, last.year) - 1, max(first.year, last.year) + 1)


def _warn_if_assumed(cal: Calendar, first: date, last: date) -> None:
    if cal.basis_between(first, last) == "assumed":
        years = sorted({y for y in range(min(first, last).year, max(first, last).year + 1)
                        if not official_year_known(y)})
        LOG.warning(assumed_warning(years))


def add_workdays(day: date, n: int, calendar: Calendar | None = None) -> date:
    """The n-th working day after `day` (not counting `day`), on the deployment calendar unless one is given."""
    cal = calendar or _covering(day, day + timedelta(days=2 * n + 60))
    result = cal.add_workdays(day, n)
    _warn_if_assumed(cal, day, result)
    return result


def workdays_between(start: date, end: date, calendar: Calendar | None = None) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is earlier)."""
    cal = calendar or _covering(start, end)
    _warn_if_assumed(cal, start, end)
    return cal.workdays_after(start, end)


def deadline(received: datetime, limit_days: int, calendar: Calendar | None = None) -> datetime:
    """The deadline of an item received at `received` with `limit_days` working days allowed."""
    cal = calendar or _covering(received.date(), received.date() + timedelta(days=2 * limit_days + 60))
    due = cal.deadline(received, limit_days)
    _warn_if_assumed(cal, cal.local(received).date(), cal.local(due).date())
    return due
