"""How fresh each source's data is (ok, late, failed, running, never), judged from the run log at a given time."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd


@dataclass(frozen=True)
class SourceState:
    pipeline: str
    kind: str
    state: str  # ok | late | failed | running | never
    last_success_at: datetime | None
    last_failure_at: datetime | None
    error: str | None

    @property
    def is_problem(self) -> bool:
        return self.state in ("late", "failed", "never")


def _time(value: object) -> datetime | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    return value  # type: ignore[return-value]


# A source is late when it missed this many of its expected runs in a row.
MISSED_RUNS = 2


def source_states(runs: pd.DataFrame, now: datetime, stale_after: timedelta,
                  expected: pd.DataFrame | None = None) -> list[SourceState]:
    """One state per pipeline from `source_freshness.sql` rows; a failure after the last success wins over 'late'.

    `expected` (pipeline, kind, expected_interval_s) comes from the pipelines' source status: a source with an
    expected interval is late after MISSED_RUNS intervals without success, others after `stale_after`; a
    configured source that never ran is listed as 'never'.
    """
    intervals: dict[str, float] = {}
    rows = runs.to_dict("records")
    if expected is not None and not expected.empty:
        for row in expected.to_dict("records"):
            if row.get("expected_interval_s") is not None and not pd.isna(row["expected_interval_s"]):
                intervals[row["pipeline"]] = float(row["expected_interval_s"])
        known = {r["pipeline"] for r in rows}
        rows += [{"pipeline": r["pipeline"], "kind": r.get("kind"), "last_state": None}
                 for r in expected.to_dict("records") if r["pipeline"] not in known]
    states = []
    for row in rows:
        success = _time(row.get("last_success_at"))
        failure = _time(row.get("last_failure_at"))
        if row.get("last_state") == "failed" and (success is None or (failure and failure >= success)):
            state = "failed"
        elif success is None:
            state = "running" if row.get("last_state") == "running" else "never"
        elif now - success > (timedelta(seconds=intervals[row["pipeline"]] * MISSED_RUNS)
                               if row["pipeline"] in intervals else stale_after):
            state = "late"
        elif row.get("last_state") == "running":
            state = "running"
        else:
            state = "ok"
        error = row.get("last_error")
        states.append(SourceState(
            pipeline=row["pipeline"], kind=row.get("kind") or "", state=state, last_success_at=success,
            last_failure_at=failure, error=error if isinstance(error, str) else None))
    return states
