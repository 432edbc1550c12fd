"""Activity of the demo organisation: documents and their steps, work orders, key-task milestones.

`generate` draws every item arriving on the local days [start, end) together with its whole
life, including the part still in the future: a source system shows an item as it stands at
some time T (see demo/formats.py), so a later look shows it further along. All draws are
vectorised and seeded: the same organisation, days and seed give the same frames.

Times in the frames are naive local wall-clock times (datetime64[s]) in the configured zone;
NaT means "never happens". Durations are log-normal, drawn in working time (office hours of
working days, demo/workdays.py), and stretched for units that are late by habit.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from demo import names, strings
from demo.workdays import DAY, HALF, NAT, SHIFT, WorkClock, epoch_day
from demo.world import Org, OrgIndex

MINUTE, HOUR = 60, 3600


@dataclass(frozen=True)
class Volume:
    """Arrival rates for the whole organisation at scale 1."""

    docs_per_workday: float
    emergency_docs_per_day: float
    requests_per_day: float
    tasks_per_year: float


VOLUMES = {
    "city": Volume(docs_per_workday=78, emergency_docs_per_day=1.0, requests_per_day=112, tasks_per_year=90),
    "province": Volume(docs_per_workday=2700, emergency_docs_per_day=34, requests_per_day=3850,
                       tasks_per_year=3100),
}

# Bad records of the kinds a pipeline must quarantine, per source.
DOC_DEFECTS = ("placeholder_date", "impossible_time", "unknown_unit")
STEP_DEFECTS = ("placeholder_date", "impossible_time", "unknown_unit")
REQUEST_DEFECTS = ("missing_key", "impossible_time", "placeholder_date", "unknown_unit", "wrong_type", "duplicate")
MILESTONE_DEFECTS = ("missing_key", "placeholder_date", "unknown_unit", "wrong_type", "duplicate")

STEP_NAMES = ("登记", "拟办", "批办", "承办", "办结")
# Step sequences of a document (codes into STEP_NAMES) and how often each occurs.
STEP_PATTERNS = ((0, 1, 2, 3, 4), (0, 1, 3, 4), (0, 2, 3, 4), (0, 3, 4))
STEP_PATTERN_SHARE = (0.5, 0.15, 0.15, 0.2)
EMERGENCY_PATTERN = 2
STEP_LIMIT = np.array([1, 1, 2, 0, 1])                 # working days; 承办 comes from the category
STEP_MEDIAN = np.array([0.12, 0.35, 0.45, 0.0, 0.2])   # working days; 承办 is a share of its limit
STEP_SIGMA = np.array([0.7, 0.8, 0.9, 0.6, 0.7])
HANDLE_MEDIAN_SHARE = 0.5
EMERGENCY_STEP_LIMIT = np.array([0, 0, 0, 1, 0])
EMERGENCY_STEP_HOURS = np.array([0.2, 0.3, 0.4, 3.0, 0.3])

DOC_WEEKDAY = np.array([1.15, 1.05, 1.0, 0.95, 0.85, 0.85, 0.85])
DOC_MONTH = np.array([1.0, 0.8, 1.05, 1.0, 1.0, 1.05, 0.95, 0.9, 1.0, 0.95, 1.05, 1.2])
REQUEST_WEEKDAY = np.array([1.1, 1.05, 1.0, 1.0, 0.95, 0.85, 0.8])
REQUEST_MONTH = np.array([0.85, 0.8, 0.95, 1.0, 1.0, 1.1, 1.2, 1.2, 1.05, 0.95, 0.95, 0.95])
REQUEST_HOURS = np.array([0.3, 0.2, 0.15, 0.1, 0.1, 0.2, 0.5, 1.5, 4.0, 6.5, 7.0, 6.0,
                          4.0, 4.5, 6.0, 6.0, 5.5, 4.5, 3.0, 2.5, 2.0, 1.5, 1.0, 0.6])
# Working time used, as a share of the limit (median), per request class in REQUEST_CLASSES order.
REQUEST_RATIO = np.array([0.35, 0.45, 0.4, 0.45, 0.5, 0.0])
SATISFACTION = ("满意", "基本满意", "不满意")
TASK_SHARE = np.array([0.25, 0.25, 0.15, 0.1, 0.15, 0.1])


@dataclass(frozen=True)
class Activity:
    """Items with their full lives, one frame per kind.

    documents: doc_id, title, doc_type (收文/发文), category, unit_code (owner), received, limit_days
        (the sum of its steps'), closed (end of the last step), defect.
    steps: doc_id, step_no, step_name, handler_id, unit_code, started, finished, limit_days, defect;
        grouped per document, in the order of `documents`.
    requests: request_id, category, title, unit_code, person_id, limit_days, received, dispatched,
        first_response, suspend_start, suspend_end (挂起), ext_approved, ext_due (延期), closed_first,
        visit_first, satisfaction_first (the first round), reopened (重办), closed, visit, satisfaction
        (the final round: the same as the first when never re-opened), defect.
    milestones: task_id, task_name, node_id, milestone_name, category, unit_code, person_id, created
        (when the row enters the ledger), planned_start, planned_end, actual_start, actual_end, defect.
    request_events (optional): request_id, seq, event, at, unit_code, person_id.
    defect: '' or the kind of bad record the source will show for the item (see *_DEFECTS).
    """

    documents: pd.DataFrame
    steps: pd.DataFrame
    requests: pd.DataFrame
    milestones: pd.DataFrame
    request_events: pd.DataFrame | None = None

    def frames(self) -> dict[str, pd.DataFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}

    def counts(self) -> dict[str, int]:
        return {name: len(frame) for name, frame in self.frames().items()}


def generate(org: Org, start: dt.date | dt.datetime, end: dt.date | dt.datetime, seed: int, *,
             events: bool = False, bad_rate: float = 0.005, volume: Volume | None = None) -> Activity:
    """Everything arriving on the local days [start, end): a datetime counts by its own date, and an
    `end` later than midnight includes its day. `events` adds the work-order event log."""
    first_day = epoch_day(_as_date(start))
    last_day = epoch_day(_as_date(end)) - (1 if _is_midnight(end) else 0)
    if last_day < first_day:
        raise ValueError("end must be after start")
    n_days = last_day - first_day + 1
    volume = volume or VOLUMES[org.size]
    scaled = Volume(*(getattr(volume, f.name) * org.scale for f in fields(Volume)))
    clock = WorkClock.spanning(first_day, last_day)
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence([seed, 2, first_day, n_days]).spawn(6)]
    ix = org.index

    documents, steps = _documents(ix, clock, first_day, n_days, scaled, streams[0])
    requests, lives = _requests(ix, clock, first_day, n_days, scaled, streams[1])
    milestones = _milestones(ix, clock, first_day, n_days, scaled, streams[2])
    defects = streams[3]
    documents["defect"] = _defects(defects, len(documents), DOC_DEFECTS, bad_rate)
    steps["defect"] = _defects(defects, len(steps), STEP_DEFECTS, bad_rate)
    requests["defect"] = _defects(defects, len(requests), REQUEST_DEFECTS, bad_rate)
    milestones["defect"] = _defects(defects, len(milestones), MILESTONE_DEFECTS, bad_rate)
    request_events = _request_events(ix, clock, requests, lives, streams[4]) if events else None
    return Activity(documents, steps, requests, milestones, request_events)


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _is_midnight(value: dt.date | dt.datetime) -> bool:
    return not isinstance(value, dt.datetime) or value.time() == dt.time(0)


def _lognormal(rng: np.random.Generator, median: np.ndarray | float, sigma: np.ndarray | float, n: int) -> np.ndarray:
    return np.asarray(median) * np.exp(np.asarray(sigma) * rng.standard_normal(n))


def _times(values: np.ndarray) -> np.ndarray:
    """int64 local seconds (NAT for never) as datetime64[s]."""
    return np.asarray(values, dtype=np.int64).view("datetime64[s]")


def _months(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12


def _day_sequence(t: np.ndarray) -> np.ndarray:
    """1-based position of each (sorted) time within its local day: the serial part of an identifier."""
    day = t // DAY
    return np.arange(t.size) - np.searchsorted(day, day, side="left") + 1


def _split_pattern(pattern: str) -> tuple[str, str]:
    before, _, after = pattern.partition("{}")
    return before, after


def _documents(ix: OrgIndex, clock: WorkClock, first_day: int, n_days: int, volume: Volume,
               rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Documents registered in office hours on working days, plus emergencies on any day (07:00-22:00)."""
    days = first_day + np.arange(n_days)
    weekday = (days + 3) % 7
    rate = (volume.docs_per_workday * DOC_WEEKDAY[weekday] * DOC_MONTH[_months(days)]
            * rng.gamma(25.0, 1 / 25.0, n_days) * clock.is_workday(days))
    regular_day = np.repeat(days, rng.poisson(rate))
    morning = rng.random(regular_day.size) < 0.6
    offset = np.where(morning, rng.integers(0, HALF, regular_day.size), rng.integers(HALF, SHIFT, regular_day.size))
    regular = clock.from_work(clock.day_start(regular_day) + offset)
    emergency_day = np.repeat(days, rng.poisson(volume.emergency_docs_per_day, n_days))
    urgent = emergency_day * DAY + rng.integers(7 * HOUR, 22 * HOUR, emergency_day.size)
    received = np.concatenate([regular, urgent])
    emergency = np.concatenate([np.zeros(regular.size, bool), np.ones(urgent.size, bool)])
    order = np.argsort(received, kind="stable")
    received, emergency = received[order], emergency[order]
    n = received.size

    incoming = rng.random(n) < 0.7
    shares = np.array([c[1] for c in names.DOC_CATEGORIES])
    category = np.where(emergency, len(names.DOC_CATEGORIES), rng.choice(len(shares), n, p=shares / shares.sum()))
    category_names = [c[0] for c in names.DOC_CATEGORIES] + [names.EMERGENCY_DOC[0]]
    patterns = [_split_pattern(c[3]) for c in names.DOC_CATEGORIES] + [_split_pattern(names.EMERGENCY_DOC[1])]
    topic = np.where(emergency, strings.pick(names.URGENT_TOPICS, rng.integers(0, len(names.URGENT_TOPICS), n)),
                     strings.pick(names.DOC_TOPICS, rng.integers(0, len(names.DOC_TOPICS), n)))
    title = strings.concat(strings.pick([p[0] for p in patterns], category), topic,
                           strings.pick([p[1] for p in patterns], category))
    doc_id = strings.concat(np.where(incoming, b"SW", b"FW"), strings.date_text(received, compact=True),
                            strings.number(_day_sequence(received), 5))
    unit = ix.doc_units[rng.choice(ix.doc_units.size, n, p=ix.doc_weights)]

    # Steps: expand each document into its sequence, then place them one after another.
    pattern = np.where(emergency, EMERGENCY_PATTERN,
                       rng.choice(len(STEP_PATTERNS), n, p=np.array(STEP_PATTERN_SHARE)))
    lengths = np.array([len(p) for p in STEP_PATTERNS])
    table = np.full((len(STEP_PATTERNS), 5), -1)
    for i, p in enumerate(STEP_PATTERNS):
        table[i, : len(p)] = p
    n_steps = lengths[pattern]
    doc_of = np.repeat(np.arange(n), n_steps)
    first_step = np.cumsum(n_steps) - n_steps
    position = np.arange(doc_of.size) - first_step[doc_of]
    code = table[pattern[doc_of], position]
    owner = unit[doc_of]
    step_unit = np.where(np.isin(code, (0, 1, 4)), ix.office[owner],
                         np.where(code == 2, owner, ix.random_child(owner, rng)))
    handler = ix.random_person(step_unit, rng)
    is_urgent = emergency[doc_of]
    handle_limit = np.array([c[2] for c in names.DOC_CATEGORIES] + [1])[category][doc_of]
    limit = np.where(is_urgent, EMERGENCY_STEP_LIMIT[code], np.where(code == 3, handle_limit, STEP_LIMIT[code]))

    factor = ix.lateness[step_unit] * ix.pace[handler]
    median_wd = np.where(code == 3, HANDLE_MEDIAN_SHARE * handle_limit, STEP_MEDIAN[code])
    work = _lognormal(rng, median_wd * SHIFT, STEP_SIGMA[code], doc_of.size) * factor
    work = np.clip(work, MINUTE, 250 * SHIFT).astype(np.int64)
    urgent_seconds = (_lognormal(rng, EMERGENCY_STEP_HOURS[code] * HOUR, 0.7, doc_of.size) * factor).astype(np.int64)
    duration = np.where(is_urgent, np.maximum(urgent_seconds, MINUTE), work)
    elapsed = np.cumsum(duration)
    elapsed -= (elapsed[first_step] - duration[first_step])[doc_of]   # running total within each document
    base = np.where(emergency, received, clock.to_work(received))[doc_of]
    end = base + elapsed
    finished = np.where(is_urgent, end, clock.from_work(np.where(is_urgent, 0, end)))
    started = np.empty_like(finished)
    started[1:] = finished[:-1]
    started[first_step] = received

    doc_limit = np.bincount(doc_of, weights=limit, minlength=n).astype(np.int64)
    documents = pd.DataFrame({
        "doc_id": strings.series(doc_id),
        "title": strings.series(title),
        "doc_type": strings.column(("收文", "发文"), np.where(incoming, 0, 1)),
        "category": strings.column(category_names, category),
        "unit_code": strings.series(ix.unit_bytes[unit]),
        "received": _times(received),
        "limit_days": doc_limit,
        "closed": _times(finished[first_step + n_steps - 1]),
    })
    steps = pd.DataFrame({
        "doc_id": strings.series(doc_id[doc_of]),
        "step_no": (position + 1).astype(np.int64),
        "step_name": strings.column(STEP_NAMES, code),
        "handler_id": strings.series(ix.person_bytes[handler]),
        "unit_code": strings.series(ix.unit_bytes[step_unit]),
        "started": _times(started),
        "finished": _times(finished),
        "limit_days": limit.astype(np.int64),
    })
    return documents, steps


def _snap_to_hotline_hours(t: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Move times outside 09:00-21:00 (the hotline's follow-up calls) to the next morning."""
    day = t // DAY
    sod = t - day * DAY
    morning = rng.integers(9 * HOUR, 11 * HOUR, t.size)
    return np.where(sod < 9 * HOUR, day * DAY + morning, np.where(sod >= 21 * HOUR, (day + 1) * DAY + morning, t))


def _requests(ix: OrgIndex, clock: WorkClock, first_day: int, n_days: int, volume: Volume,
              rng: np.random.Generator) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """12345 work orders: received around the clock, handled in working time, some paused, extended or re-opened."""
    days = first_day + np.arange(n_days)
    weekday = (days + 3) % 7
    holiday = ~clock.is_workday(days) & (weekday < 5)
    rate = (volume.requests_per_day * REQUEST_WEEKDAY[weekday] * REQUEST_MONTH[_months(days)]
            * np.where(holiday, 0.75, 1.0) * rng.gamma(15.0, 1 / 15.0, n_days))
    day = np.repeat(days, rng.poisson(rate))
    n = day.size
    hour = rng.choice(24, n, p=REQUEST_HOURS / REQUEST_HOURS.sum())
    received = np.sort(day * DAY + hour * HOUR + rng.integers(0, HOUR, n))
    request_id = strings.concat(strings.date_text(received, compact=True), strings.number(_day_sequence(received), 6))

    classes = names.REQUEST_CLASSES
    shares = np.array([c[1] for c in classes])
    cls = rng.choice(len(classes), n, p=shares / shares.sum())
    emergency = cls == len(classes) - 1
    topic_lists = [names.REQUEST_TOPICS[c[0]] for c in classes]
    topic_start = np.cumsum([0] + [len(t) for t in topic_lists])[:-1]
    topic_count = np.array([len(t) for t in topic_lists])
    topic = topic_start[cls] + (rng.random(n) * topic_count[cls]).astype(np.int64)
    all_topics = [t for ts in topic_lists for t in ts]
    place = strings.concat(strings.pick(names.ROADS, rng.integers(0, len(names.ROADS), n)),
                           strings.pick(names.COMMUNITIES, rng.integers(0, len(names.COMMUNITIES), n)))
    patterns = [c[3] for c in classes]
    before = [p.split("{")[0] for p in patterns]
    has_place = np.array(["{place}" in p for p in patterns])[cls]
    title = strings.concat(strings.pick(before, cls), np.where(has_place, place, b""),
                           strings.pick([t for t, _ in all_topics], topic))
    unit = ix.units_for(np.array([f for _, f in all_topics], dtype=object)[topic], rng)
    person = ix.random_person(unit, rng)
    limit = np.array([c[2] for c in classes])[cls]
    limit = np.where(emergency, (rng.random(n) < 0.3).astype(np.int64), limit)

    # Dispatch by the hotline centre: within the hour by day (08:00-20:00), next morning for night calls.
    sod = received % DAY
    daytime = (sod >= 8 * HOUR) & (sod < 20 * HOUR)
    next_morning = (received // DAY + (sod >= 20 * HOUR)) * DAY + 8 * HOUR
    dispatched = np.where(daytime, received + _lognormal(rng, 40 * MINUTE, 0.8, n),
                          next_morning + _lognormal(rng, 45 * MINUTE, 0.7, n))
    dispatched = np.where(emergency, received + _lognormal(rng, 5 * MINUTE, 0.6, n), dispatched).astype(np.int64)

    factor = ix.lateness[unit] * ix.pace[person]
    w_dispatch = clock.to_work(dispatched)
    allowed = limit * SHIFT
    w_response = w_dispatch + np.minimum(
        _lognormal(rng, 0.25 * SHIFT * np.sqrt(np.maximum(limit, 1) / 5), 0.9, n) * np.sqrt(factor), 3 * SHIFT)
    w_close = w_dispatch + np.maximum(
        _lognormal(rng, REQUEST_RATIO[cls] * np.maximum(allowed, 1), 0.6, n) * factor,
        w_response - w_dispatch + 10 * MINUTE)
    w_close = np.minimum(w_close, w_dispatch + 250 * SHIFT).astype(np.int64)
    w_response = w_response.astype(np.int64)

    # Suspension (挂起): the clock stops while the unit waits on the citizen, who answers on any day.
    suspended = (rng.random(n) < 0.06) & ~emergency
    w_suspend = (w_response + rng.random(n) * (w_close - w_response)).astype(np.int64)
    suspend_start = clock.from_work(np.where(suspended, w_suspend, 0))
    suspend_end = clock.from_work(clock.to_work(suspend_start + _lognormal(rng, 3 * DAY, 0.7, n).astype(np.int64)))
    paused = np.where(suspended, clock.to_work(suspend_end) - w_suspend, 0)
    w_close = w_close + paused
    w_due = w_dispatch + allowed + paused

    # Extension (延期): asked for when the work runs long, approved before the original deadline.
    w_approve = np.maximum(w_dispatch + (0.7 * allowed).astype(np.int64) + paused, w_response + MINUTE)
    extended = (~emergency & (w_close > w_due - 0.2 * allowed) & (rng.random(n) < 0.35) & (w_approve < w_close))
    extra = np.maximum(3, np.ceil(0.6 * limit)).astype(np.int64) * SHIFT
    w_new_due = w_due + extra
    keeps_promise = extended & (rng.random(n) < 0.85) & (w_close > w_new_due)
    w_close = np.where(keeps_promise, w_approve + (rng.random(n) * (w_new_due - w_approve)).astype(np.int64), w_close)
    ext_approved = clock.from_work(np.where(extended, w_approve, 0))
    ext_due = clock.close_of_business(np.where(extended, w_new_due - 1, 0))

    # Emergencies (limit 0 = same day, 1 = next working day) run on the wall clock, not in office hours.
    urgent_response = dispatched + _lognormal(rng, 20 * MINUTE, 0.6, n).astype(np.int64)
    urgent_close = dispatched + np.maximum(_lognormal(rng, 3 * HOUR, 0.7, n) * factor, 30 * MINUTE).astype(np.int64)
    urgent_close = np.maximum(urgent_close, urgent_response + 10 * MINUTE)
    first_response = np.where(emergency, urgent_response, clock.from_work(np.where(emergency, 0, w_response)))
    closed_first = np.where(emergency, urgent_close, clock.from_work(np.where(emergency, 0, w_close)))
    late = np.where(emergency, urgent_close - dispatched > DAY, w_close > np.where(extended, w_new_due, w_due))

    visited = rng.random(n) < np.where(emergency, 0.5, 0.85)
    visit_first = _snap_to_hotline_hours(closed_first + _lognormal(rng, 20 * HOUR, 0.6, n).astype(np.int64), rng)
    p_on_time, p_late = np.array([0.80, 0.15, 0.05]), np.array([0.55, 0.25, 0.20])
    u = rng.random(n)
    sat_first = np.where(late, (u[:, None] > np.cumsum(p_late)).sum(1), (u[:, None] > np.cumsum(p_on_time)).sum(1))
    sat_first = np.minimum(sat_first, 2)

    # Re-opened (重办) after a dissatisfied follow-up call: handled again, visited again.
    reopen = visited & ~emergency & (rng.random(n) < np.where(sat_first == 2, 0.35, 0.012))
    sat_first = np.where(reopen, 2, sat_first)
    reopened = visit_first + _lognormal(rng, 40 * MINUTE, 0.5, n).astype(np.int64)
    w_again = clock.to_work(np.where(reopen, reopened, received)) + (
        _lognormal(rng, 0.3 * np.maximum(allowed, SHIFT), 0.6, n) * factor).astype(np.int64)
    closed_again = clock.from_work(np.where(reopen, w_again, 0))
    visited_again = rng.random(n) < 0.85
    visit_again = _snap_to_hotline_hours(closed_again + _lognormal(rng, 20 * HOUR, 0.6, n).astype(np.int64), rng)
    sat_again = (rng.random(n)[:, None] > np.cumsum([0.6, 0.25, 0.15])).sum(1).clip(0, 2)

    closed = np.where(reopen, closed_again, closed_first)
    visit = np.where(reopen, np.where(visited_again, visit_again, NAT), np.where(visited, visit_first, NAT))
    satisfaction = np.where(reopen, np.where(visited_again, sat_again, -1), np.where(visited, sat_first, -1))

    frame = pd.DataFrame({
        "request_id": strings.series(request_id),
        "category": strings.column([c[0] for c in classes], cls),
        "title": strings.series(title),
        "unit_code": strings.series(ix.unit_bytes[unit]),
        "person_id": strings.series(ix.person_bytes[person]),
        "limit_days": limit.astype(np.int64),
        "received": _times(received),
        "dispatched": _times(dispatched),
        "first_response": _times(first_response),
        "suspend_start": _times(np.where(suspended, suspend_start, NAT)),
        "suspend_end": _times(np.where(suspended, suspend_end, NAT)),
        "ext_approved": _times(np.where(extended, ext_approved, NAT)),
        "ext_due": _times(np.where(extended, ext_due, NAT)),
        "closed_first": _times(closed_first),
        "visit_first": _times(np.where(visited, visit_first, NAT)),
        "satisfaction_first": _satisfaction(np.where(visited, sat_first, -1)),
        "reopened": _times(np.where(reopen, reopened, NAT)),
        "closed": _times(closed),
        "visit": _times(visit),
        "satisfaction": _satisfaction(satisfaction),
    })
    lives = {"unit": unit, "person": person, "emergency": emergency, "w_due": np.where(emergency, 0, w_due)}
    return frame, lives


def _milestones(ix: OrgIndex, clock: WorkClock, first_day: int, n_days: int, volume: Volume,
                rng: np.random.Generator) -> pd.DataFrame:
    """Key tasks set during the days, each cut into 3-8 milestones planned over 2-11 months."""
    days = first_day + np.arange(n_days)
    workdays = days[clock.is_workday(days)]
    n_tasks = rng.poisson(volume.tasks_per_year * n_days / 365) if workdays.size else 0
    categories = names.TASK_CATEGORIES
    created_day = workdays[rng.integers(0, max(workdays.size, 1), n_tasks)]
    created = np.sort(clock.from_work(clock.day_start(created_day) + rng.integers(0, SHIFT, n_tasks)))
    created_day = created // DAY
    cat = rng.choice(len(categories), n_tasks, p=TASK_SHARE / TASK_SHARE.sum())
    item_count = np.array([len(c[2]) for c in categories])
    item = (rng.random(n_tasks) * item_count[cat]).astype(np.int64)
    item_start = np.cumsum([0] + [len(c[2]) for c in categories])[:-1]
    all_items = [i for c in categories for i in c[2]]
    area = strings.pick(ix.areas, rng.integers(0, len(ix.areas), n_tasks))
    with_area = np.array([c[4] for c in categories])[cat]
    task_name = strings.concat(np.where(with_area, area, "推进".encode()),
                               strings.pick(all_items, item_start[cat] + item))
    owner_draw = rng.random(n_tasks)
    owner_funcs = np.array([categories[c][1][int(u * len(categories[c][1]))] for c, u in zip(cat, owner_draw)],
                           dtype=object)
    unit = ix.units_for(owner_funcs, rng)
    person = ix.random_person(unit, rng)
    task_id = strings.concat("RW", strings.date_text(created, compact=True), strings.number(_day_sequence(created), 2))

    sequence_length = np.array([len(c[3]) for c in categories])[cat]
    count = np.minimum(rng.integers(3, 9, n_tasks), sequence_length)
    shift = (rng.random(n_tasks) * (sequence_length - count + 1)).astype(np.int64)
    task_of = np.repeat(np.arange(n_tasks), count)
    first = np.cumsum(count) - count
    position = np.arange(task_of.size) - first[task_of]
    sequence_start = np.cumsum([0] + [len(c[3]) for c in categories])[:-1]
    all_steps = [s for c in categories for s in c[3]]
    milestone_name = strings.pick(all_steps, sequence_start[cat[task_of]] + shift[task_of] + position)

    # Planned: consecutive spans of whole days; actual: the same spans in working time, stretched or delayed.
    planned_begin = created_day + rng.integers(0, 21, n_tasks)
    span = rng.integers(60, 330, n_tasks)
    share = rng.gamma(3.0, 1.0, task_of.size)
    share /= np.bincount(task_of, weights=share)[task_of]
    length = np.maximum(5, np.round(share * span[task_of])).astype(np.int64)
    planned_end = planned_begin[task_of] + _running_total(length, first, task_of) - 1
    planned_start = planned_end - length + 1
    planned_work = clock.day_start(planned_end + 1) - clock.day_start(planned_start)
    # Plans carry some slack (median 85 % of the planned time is used); late units stretch it.
    task_factor = _lognormal(rng, 0.85, 0.2, n_tasks) * ix.lateness[unit] ** 0.8
    stretch = task_factor[task_of] * _lognormal(rng, 1.0, 0.2, task_of.size)
    work = np.maximum(planned_work * stretch, SHIFT // 2).astype(np.int64)
    delay = np.where(rng.random(n_tasks) < 0.8, 0, _lognormal(rng, 5 * SHIFT, 0.6, n_tasks)).astype(np.int64)
    w_begin = clock.day_start(planned_start[first]) + delay
    w_end = w_begin[task_of] + _running_total(work, first, task_of)
    task_ids = task_id[task_of]
    return pd.DataFrame({
        "task_id": strings.series(task_ids),
        "task_name": strings.series(task_name[task_of]),
        "node_id": strings.series(strings.concat("N", strings.number(position + 1, 2))),
        "milestone_name": strings.series(milestone_name),
        "category": strings.column([c[0] for c in categories], cat[task_of]),
        "unit_code": strings.series(ix.unit_bytes[unit[task_of]]),
        "person_id": strings.series(ix.person_bytes[person[task_of]]),
        "created": _times(created[task_of]),
        "planned_start": _times(planned_start * DAY),
        "planned_end": _times(planned_end * DAY),
        "actual_start": _times(clock.from_work(w_end - work)),
        "actual_end": _times(clock.from_work(w_end)),
    })


def _running_total(values: np.ndarray, first: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Cumulative sum of `values` restarting at each group (rows grouped contiguously)."""
    total = np.cumsum(values)
    return total - (total[first] - values[first])[group]


def _satisfaction(code: np.ndarray) -> pd.Categorical:
    """Satisfaction as a category; code -1 (not asked) is the empty answer."""
    return pd.Categorical.from_codes(np.where(code < 0, len(SATISFACTION), code), categories=[*SATISFACTION, ""])


def _defects(rng: np.random.Generator, n: int, kinds: tuple[str, ...], rate: float) -> pd.Categorical:
    """About `rate` of the rows get one defect of a kind from `kinds`; the others get ''."""
    expected = rate * n
    k = min(n, int(expected) + int(rng.random() < expected - int(expected)))
    codes = np.zeros(n, dtype=np.int8)
    rows = rng.choice(n, size=k, replace=False)
    codes[rows] = rng.integers(1, len(kinds) + 1, k)
    return pd.Categorical.from_codes(codes, categories=["", *kinds])


EVENT_TYPES = ("受理", "派单", "签收", "首次响应", "办理反馈", "催办", "挂起", "解挂", "延期申请", "延期审批",
               "办结", "审核", "回访", "重办", "归档")


def _request_events(ix: OrgIndex, clock: WorkClock, requests: pd.DataFrame, lives: dict[str, np.ndarray],
                    rng: np.random.Generator) -> pd.DataFrame:
    """The work-order event log (one row per lifecycle event), including events still in the future."""
    n = len(requests)
    t = {c: requests[c].to_numpy().view(np.int64) for c in (
        "received", "dispatched", "first_response", "suspend_start", "suspend_end", "ext_approved", "closed_first",
        "visit_first", "reopened", "closed", "visit")}
    unit, person, emergency = lives["unit"].astype(np.int32), lives["person"].astype(np.int32), lives["emergency"]
    centre = np.full(n, ix.hotline, dtype=np.int32)
    nobody = np.full(n, -1, dtype=np.int32)
    parts: list[tuple[np.ndarray, int, np.ndarray, np.ndarray, np.ndarray]] = []

    def add(rows: np.ndarray, kind: str, at: np.ndarray, by_unit: np.ndarray, by_person: np.ndarray) -> None:
        parts.append((rows, EVENT_TYPES.index(kind), at[rows], by_unit[rows], by_person[rows]))

    every = np.arange(n, dtype=np.int32)
    add(every, "受理", t["received"], centre, nobody)
    add(every, "派单", t["dispatched"], centre, nobody)
    # The unit signs for the order in its working time, shortly after dispatch (emergencies at once).
    w_dispatched, w_response = clock.to_work(t["dispatched"]), clock.to_work(t["first_response"])
    share = 0.3 * rng.random(n)
    signed = np.where(emergency, t["dispatched"] + (share * (t["first_response"] - t["dispatched"])).astype(np.int64),
                      clock.from_work(w_dispatched + (share * (w_response - w_dispatched)).astype(np.int64)))
    add(every, "签收", signed, unit, person)
    add(every, "首次响应", t["first_response"], unit, person)
    # Progress notes between first response and closing: more for longer work.
    span = np.maximum(t["closed_first"] - t["first_response"], 0)
    notes = 2 + rng.poisson(1.9 + np.minimum(span / (5 * DAY), 4.0))
    note_of = np.repeat(every, notes).astype(np.int32)
    w_work = (clock.to_work(t["closed_first"]) - w_response)[note_of]
    share = rng.random(note_of.size)
    note_at = np.where(emergency[note_of],  # notes are written in office hours, emergencies' at any time
                       t["first_response"][note_of] + (share * span[note_of]).astype(np.int64),
                       clock.from_work(w_response[note_of] + (share * w_work).astype(np.int64)))
    parts.append((note_of, EVENT_TYPES.index("办理反馈"), note_at, unit[note_of], person[note_of]))
    w_due = lives["w_due"]
    regular = ~emergency
    reminder = clock.from_work(np.maximum(w_due - SHIFT, 0))
    remind = np.flatnonzero(regular & (t["closed_first"] > reminder))
    add(remind, "催办", reminder, centre, nobody)
    after_due = clock.from_work(w_due + SHIFT)
    add(np.flatnonzero(regular & (t["closed_first"] > after_due)), "催办", after_due, centre, nobody)
    paused = np.flatnonzero(t["suspend_start"] != NAT)
    add(paused, "挂起", t["suspend_start"], unit, person)
    add(paused, "解挂", t["suspend_end"], unit, person)
    extended = np.flatnonzero(t["ext_approved"] != NAT)
    approved = np.where(t["ext_approved"] == NAT, t["received"], t["ext_approved"])
    asked = clock.from_work(clock.to_work(approved) - SHIFT // 3)
    add(extended, "延期申请", asked, unit, person)
    add(extended, "延期审批", t["ext_approved"], centre, nobody)
    add(every, "办结", t["closed_first"], unit, person)
    review = t["closed_first"] + _lognormal(rng, 2 * HOUR, 0.7, n).astype(np.int64)
    add(every, "审核", review, centre, nobody)
    add(np.flatnonzero(t["visit_first"] != NAT), "回访", t["visit_first"], centre, nobody)
    again = np.flatnonzero(t["reopened"] != NAT)
    add(again, "重办", t["reopened"], centre, nobody)
    add(again, "签收", t["reopened"] + 30 * MINUTE, unit, person)
    add(again, "办结", t["closed"], unit, person)
    review_again = t["closed"] + _lognormal(rng, 2 * HOUR, 0.7, n).astype(np.int64)
    add(again, "审核", review_again, centre, nobody)
    add(np.flatnonzero((t["reopened"] != NAT) & (t["visit"] != NAT)), "回访", t["visit"], centre, nobody)
    last = np.maximum.reduce([review, review_again * (t["reopened"] != NAT), t["visit"], t["visit_first"]])
    add(every, "归档", last + _lognormal(rng, 1.5 * DAY, 0.5, n).astype(np.int64), centre, nobody)

    # One int64 key (order, time, kind) sorts faster than a three-key lexsort over millions of rows.
    at = np.concatenate([p[2] for p in parts])
    key = np.concatenate([p[0] for p in parts]).astype(np.int64) << 36
    key |= (at - at.min()) << 4
    key |= np.concatenate([np.full(p[0].size, p[1], dtype=np.int64) for p in parts])
    order = np.argsort(key)
    at = at[order]
    key = key[order]
    rows, kind = (key >> 36).astype(np.int32), (key & 15).astype(np.int8)
    del key
    by_unit = np.concatenate([p[3] for p in parts])[order]
    by_person = np.concatenate([p[4] for p in parts])[order]
    del parts, order
    seq = np.arange(rows.size) - np.searchsorted(rows, rows, side="left") + 1
    unit_names = pd.Categorical.from_codes(by_unit, categories=pd.Index(ix.unit_code.astype(str)), validate=False)
    person_names = pd.Categorical.from_codes(by_person, categories=pd.Index(ix.person_bytes.astype(str)),
                                             validate=False)
    return pd.DataFrame({
        "request_id": pd.Categorical.from_codes(rows, categories=pd.Index(requests["request_id"].to_numpy()),
                                                validate=False),
        "seq": seq.astype(np.int32),
        "event": pd.Categorical.from_codes(kind, categories=list(EVENT_TYPES)),
        "at": _times(at),
        "unit_code": unit_names,
        "person_id": person_names,
    })
