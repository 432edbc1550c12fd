"""The simulator's memory between runs: items whose lives are not over, kept as Arrow bytes in the OA database."""
from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.feather as feather

from demo.activity import Activity
from demo.formats import step_document
from demo.workdays import NAT

FRAMES = ("documents", "steps", "requests", "milestones")
REQUEST_TIMES = ("received", "dispatched", "first_response", "suspend_start", "suspend_end", "ext_approved",
                 "closed_first", "visit_first", "reopened", "closed", "visit")


def _i8(frame: pd.DataFrame, column: str) -> np.ndarray:
    return frame[column].to_numpy(dtype="datetime64[s]").view(np.int64)


def encode(activity: Activity) -> dict[str, bytes]:
    out = {}
    for name in FRAMES:
        buffer = io.BytesIO()
        feather.write_feather(pa.Table.from_pandas(getattr(activity, name), preserve_index=False), buffer,
                              compression="zstd")
        out[name] = buffer.getvalue()
    return out


def decode(blobs: dict[str, bytes]) -> Activity:
    frames = {name: feather.read_table(io.BytesIO(blobs[name])).to_pandas() for name in FRAMES}
    return Activity(**frames)


def combine(*activities: Activity) -> Activity:
    """One set of frames from several disjoint sets; steps stay grouped in the order of their documents."""
    frames = {}
    for name in FRAMES:
        parts = [getattr(a, name) for a in activities if len(getattr(a, name))]
        frames[name] = pd.concat(parts, ignore_index=True) if parts else getattr(activities[0], name)
    return Activity(**frames)


def unfinished(activity: Activity, at: int, milestones_since: int | None = None) -> Activity:
    """Items that will still change after `at` (milestones: or changed after the last ledger)."""
    documents, steps = activity.documents, activity.steps
    open_docs = _i8(documents, "closed") > at
    keep_docs = documents.loc[open_docs].reset_index(drop=True)
    keep_steps = steps.loc[open_docs[step_document(steps, len(documents))]].reset_index(drop=True)
    requests = activity.requests
    last = np.maximum.reduce([_i8(requests, c) for c in REQUEST_TIMES])
    keep_requests = requests.loc[last > at].reset_index(drop=True)
    milestones = activity.milestones
    horizon = at if milestones_since is None else min(at, milestones_since)
    ends = _i8(milestones, "actual_end")
    keep_milestones = milestones.loc[(ends == NAT) | (ends > horizon)].reset_index(drop=True)
    return Activity(keep_docs, keep_steps, keep_requests, keep_milestones)
