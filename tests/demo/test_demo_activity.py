"""A year of the demo city: volumes, shapes, the official calendar, work-order rules and the mix of open items."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from demo import activity
from demo.workdays import DAY, SHIFT, WorkClock, local_seconds

from tests.demo.cases import NOW, SEED, SH, YEAR

ROOT = Path(__file__).resolve().parents[2]


def t(frame: pd.DataFrame, column: str) -> np.ndarray:
    return frame[column].to_numpy(dtype="datetime64[s]").view(np.int64)


def local_day(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].dt.strftime("%Y-%m-%d")


def test_a_year_has_city_volumes(city_year):
    assert 15_000 <= len(city_year.documents) <= 25_000
    assert 30_000 <= len(city_year.requests) <= 50_000
    tasks = city_year.milestones.groupby("task_id").size()
    assert 60 <= len(tasks) <= 120
    assert tasks.between(3, 8).all()
    steps = city_year.steps.groupby("doc_id")["step_name"].agg(list)
    assert len(steps) == len(city_year.documents)
    assert steps.map(len).between(3, 5).all()
    assert (steps.str[0] == "登记").all() and (steps.str[-1] == "办结").all()


def test_durations_are_skewed(city_year):
    handle = city_year.steps.loc[city_year.steps["step_name"] == "承办"]
    hours = (t(handle, "finished") - t(handle, "started")) / 3600
    median, p95 = np.percentile(hours, [50, 95])
    assert hours.mean() > 1.2 * median
    assert p95 > 2.5 * median
    logged = np.log(hours)
    assert abs(np.mean(logged) - np.median(logged)) < 0.25 * np.std(logged)  # log-normal: symmetric in logs


def test_documents_keep_to_the_official_calendar(city_year):
    docs = city_year.documents
    day = local_day(docs, "received")
    national_day = day.between("2026-10-01", "2026-10-07")
    assert national_day.any()
    assert (docs.loc[national_day, "category"] == "紧急").all()
    for make_up_day in ("2026-09-20", "2026-10-10"):
        assert (docs.loc[day == make_up_day, "category"] != "紧急").sum() > 20
    regular = docs.loc[docs["category"] != "紧急"]
    weekday = regular["received"].dt.day_of_week
    weekend_days = set(local_day(regular, "received")[weekday >= 5])
    assert weekend_days <= {"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"}
    minutes = regular["received"].dt.hour * 60 + regular["received"].dt.minute
    assert (minutes.between(8 * 60 + 30, 12 * 60) | minutes.between(14 * 60, 17 * 60 + 30)).all()


def test_work_orders_follow_the_hotline_rules(city_year):
    requests = city_year.requests
    limits = requests.groupby("category")["limit_days"].agg(lambda v: set(v))
    assert limits["咨询"] == {3} and limits["求助"] == {5} and limits["建议"] == {5}
    assert limits["投诉"] == {13} and limits["举报"] == {13} and limits["紧急"] == {0, 1}
    n = len(requests)
    assert 0.02 <= requests["reopened"].notna().sum() / n <= 0.04
    assert 0.03 <= requests["suspend_start"].notna().sum() / n <= 0.09
    assert 0.01 <= requests["ext_due"].notna().sum() / n <= 0.08
    answers = requests["satisfaction"].astype(str).value_counts()
    assert answers.idxmax() == "满意" and answers["满意"] > 0.6 * answers.drop("").sum()
    assert (t(requests, "dispatched") >= t(requests, "received")).all()
    assert (t(requests, "closed") > t(requests, "first_response")).all()
    assert (requests["received"].dt.hour < 7).any()  # the hotline takes calls at night


def test_units_late_by_habit_are_late_more_often(city_org, city_year):
    handle = city_year.steps.loc[city_year.steps["step_name"] == "承办"]
    clock = WorkClock.spanning(t(handle, "started").min() // DAY, t(handle, "finished").max() // DAY)
    used = clock.to_work(t(handle, "finished")) - clock.to_work(t(handle, "started"))
    late = pd.Series(used > handle["limit_days"].to_numpy() * SHIFT).groupby(handle["unit_code"].to_numpy()).mean()
    chronic = set(city_org.units.loc[city_org.units["lateness"] >= 1.8, "unit_code"])
    assert late[late.index.isin(chronic)].min() > 2 * late[~late.index.isin(chronic)].median()


def test_at_any_now_open_items_are_a_lively_mix(city_year):
    at = local_seconds(NOW, SH)
    steps = city_year.steps
    started, finished = t(steps, "started"), t(steps, "finished")
    open_steps = (started <= at) & (finished > at)
    clock = WorkClock.spanning(started.min() // DAY, at // DAY)
    left = (clock.to_work(started[open_steps]) + steps["limit_days"].to_numpy()[open_steps] * SHIFT
            - clock.to_work(np.array([at]))) / SHIFT
    overdue, due_soon, on_track = np.mean(left < 0), np.mean((left >= 0) & (left <= 2)), np.mean(left > 2)
    assert open_steps.sum() > 200
    assert 0.03 < overdue < 0.3 and 0.05 < due_soon < 0.45 and on_track > max(overdue, due_soon)

    requests = city_year.requests
    received, closed = t(requests, "received"), t(requests, "closed")
    assert 200 < ((received <= at) & (closed > at)).sum() < 2_000
    milestones = city_year.milestones
    running = (t(milestones, "created") <= at) & (t(milestones, "actual_end") > at)
    behind = running & (t(milestones, "planned_end") + DAY < at)
    assert running.sum() > 50 and 0 < behind.sum() < running.sum() / 2


def test_the_same_seed_gives_the_same_year(city_org):
    days = (dt.date(2026, 3, 1), dt.date(2026, 4, 1))
    first = activity.generate(city_org, *days, seed=3)
    again = activity.generate(city_org, *days, seed=3)
    other = activity.generate(city_org, *days, seed=4)
    for name, frame in first.frames().items():
        pd.testing.assert_frame_equal(frame, again.frames()[name])
    assert not first.requests["title"].equals(other.requests["title"])


DIGEST = """
import datetime as dt, hashlib, pandas as pd
from demo import activity, world
org = world.build_org("province", seed=2, scale=0.01)
year = activity.generate(org, dt.date(2026, 1, 1), dt.date(2026, 3, 1), seed=2, events=True)
for name, frame in year.frames().items():
    print(name, hashlib.sha256(pd.util.hash_pandas_object(frame.astype(str), index=False).values.tobytes()).hexdigest())
"""


def test_the_same_seed_gives_the_same_data_in_any_process():
    """String hashing differs between processes; the draws must not depend on it."""
    digests = []
    for hash_seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed, PYTHONPATH=str(ROOT))
        done = subprocess.run([sys.executable, "-c", DIGEST], env=env, capture_output=True, text=True, cwd=ROOT,
                              timeout=120)
        assert done.returncode == 0, done.stderr
        digests.append(done.stdout)
    assert digests[0] == digests[1] and digests[0].count("\n") == 5


def test_days_outside_the_window_are_refused(city_org):
    with pytest.raises(ValueError):
        activity.generate(city_org, dt.date(2026, 3, 2), dt.date(2026, 3, 2), seed=SEED)


def test_a_datetime_end_includes_its_day(city_org):
    end = dt.datetime(2026, 3, 3, 9, 0, tzinfo=SH)
    day = activity.generate(city_org, dt.date(2026, 3, 3), end, seed=SEED)
    assert set(local_day(day.requests, "received")) == {"2026-03-03"}
    assert YEAR[0] < dt.date(2026, 3, 3) < YEAR[1]
