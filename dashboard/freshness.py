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


def source_states(runs: pd.DataFrame, now: datetime, stale_after: timedelta) -> list[SourceState]:
    """One state per pipeline from `source_freshness.sql` rows; a failure after the last success wins over 'late'."""
    states = []
    for row in runs.to_dict("records"):
        success = _time(row.get("last_success_at"))
        failure = _time(row.get("last_failure_at"))
        if row.get("last_state") == "failed" and (success is None or (failure and failure >= success)):
            state = "failed"
        elif success is None:
            state = "running" if row.get("last_state") == "running" else "never"
        elif now - success > stale_after:
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
