"""How the demo source systems show items at a time: OA rows, 12345 export rows, ledger rows, event rows.

Each function takes items with their whole lives (demo/activity.py) and a local time `at`
(int64 local seconds) and returns the rows exactly as the source would hand them over: text
times, Chinese headers where the source has them, bad records applied. With `since`, only the
items that changed in (since, at] are returned, as a source's incremental export would.
Documents and their steps are matched by position: steps come grouped per document, in the
order of the documents.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from demo import strings
from demo.activity import SATISFACTION
from demo.workdays import DAY, NAT, WorkClock
from demo.world import Org

ORG_UNIT_COLUMNS = ("unit_code", "unit_name", "parent_code", "unit_level", "updated_at")
ORG_PERSON_COLUMNS = ("person_id", "person_name", "unit_code", "job_category", "difficulty", "updated_at")
DOCUMENT_COLUMNS = ("doc_id", "title", "doc_type", "category", "unit_code", "handler_id", "received_at",
                    "limit_days", "closed_at", "updated_at")
STEP_COLUMNS = ("doc_id", "step_no", "step_name", "handler_id", "unit_code", "started_at", "finished_at",
                "limit_days", "updated_at")
REQUEST_COLUMNS = ("工单编号", "诉求类型", "标题", "受理时间", "派单时间", "承办单位编码", "承办人工号", "首次响应时间",
                   "办结时间", "办理时限(工作日)", "满意度", "重办次数", "状态", "挂起开始", "挂起结束", "延期至", "更新时间")
LEDGER_COLUMNS = ("任务编号", "任务名称", "节点编号", "节点名称", "任务类别", "责任单位编码", "责任人工号", "计划开始",
                  "计划完成", "实际完成", "完成进度(%)", "更新时间")
EVENT_COLUMNS = ("工单编号", "序号", "事件类型", "事件时间", "单位编码", "人员工号")
REQUEST_STATUSES = ("待派单", "挂起", "已回访", "已办结", "办理中")

# What the bad records look like: codes of units that do not exist, and the placeholder of old systems.
UNKNOWN_UNIT = {"oa": "Z9901", "requests": "Z9902", "milestones": "Z9903"}
PLACEHOLDER_TIME = b"1900-01-01 00:00:00"
PLACEHOLDER_DATE = "1900-01-01"
NON_NUMERIC_LIMIT = ("五个工作日", "待定")
NON_NUMERIC_PROGRESS = ("进行中", "约一半")


def _i8(frame: pd.DataFrame, column: str) -> np.ndarray:
    return frame[column].to_numpy(dtype="datetime64[s]").view(np.int64)


def _seen(t: np.ndarray, at: int) -> np.ndarray:
    return (t != NAT) & (t <= at)


def _within(t: np.ndarray, since: int, at: int) -> np.ndarray:
    return (t != NAT) & (t > since) & (t <= at)


def _latest(*times: np.ndarray) -> np.ndarray:
    return np.maximum.reduce([np.asarray(t, dtype=np.int64) for t in times])


def _col(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].reset_index(drop=True)


def _defect(frame: pd.DataFrame, kind: str) -> np.ndarray:
    return (frame["defect"] == kind).to_numpy(dtype=bool)


def _replace(values: pd.Series, mask: np.ndarray, value: str) -> pd.Series:
    return values.mask(mask, value) if mask.any() else values


def _take(values: pd.Series, index: np.ndarray) -> pd.Series:
    """values[index] as a string column; index -1 gives a missing value."""
    taken = pa.array(values.array).take(pa.array(index, mask=index < 0))
    return taken.cast(pa.string()).to_pandas()


def _iso(t: np.ndarray, valid: np.ndarray | None, tz_name: str) -> pd.Series:
    return strings.series(strings.iso_text(t, tz_name), valid)


def _local(t: np.ndarray, valid: np.ndarray | None = None) -> pd.Series:
    return strings.series(strings.local_text(t), valid)


def _placeholder(iso: np.ndarray, bad: np.ndarray) -> np.ndarray:
    """ISO times with the bad ones replaced by 1900-01-01 00:00 (keeping their offset), as old systems write."""
    if not bad.any():
        return iso
    offsets = iso[bad].view("S1").reshape(-1, 25)[:, 19:].copy().view("S6").ravel()
    out = iso.copy()
    out[bad] = strings.concat(PLACEHOLDER_TIME.replace(b" ", b"T"), offsets)
    return out


def org_units(org: Org, stamp: int, tz_name: str) -> pd.DataFrame:
    units = org.units
    return pd.DataFrame({
        "unit_code": units["unit_code"], "unit_name": units["unit_name"], "parent_code": units["parent_code"],
        "unit_level": units["unit_level"].astype(np.int64),
        "updated_at": strings.series(strings.iso_text(np.full(len(units), stamp, dtype=np.int64), tz_name)),
    })


def org_persons(org: Org, stamp: int, tz_name: str) -> pd.DataFrame:
    persons = org.persons
    return pd.DataFrame({
        "person_id": persons["person_id"], "person_name": persons["person_name"], "unit_code": persons["unit_code"],
        "job_category": persons["job_category"], "difficulty": persons["difficulty"].astype(float),
        "updated_at": strings.series(strings.iso_text(np.full(len(persons), stamp, dtype=np.int64), tz_name)),
    })


def step_document(steps: pd.DataFrame, n_documents: int) -> np.ndarray:
    """Position of each step's document (steps come grouped per document, in document order)."""
    ids = pa.array(steps["doc_id"].array)
    if len(ids) == 0:
        return np.zeros(0, dtype=np.int64)
    new = np.ones(len(ids), dtype=bool)
    new[1:] = np.asarray(pc.not_equal(ids[1:], ids[:-1]).to_numpy(zero_copy_only=False), dtype=bool)
    position = np.cumsum(new) - 1
    if position[-1] != n_documents - 1:
        raise ValueError("steps are not grouped in the order of their documents")
    return position


def oa_documents(documents: pd.DataFrame, steps: pd.DataFrame, at: int, tz_name: str,
                 since: int | None = None) -> pd.DataFrame:
    """oa_document rows at `at`; the handler is the one of the latest step started by then."""
    received, closed = _i8(documents, "received"), _i8(documents, "closed")
    started = _i8(steps, "started")
    doc_of = step_document(steps, len(documents))
    begun = _seen(started, at)
    # Steps run one after another, so the begun ones are a prefix of each document's steps.
    next_begun = np.append(begun[1:] & (doc_of[1:] == doc_of[:-1]), False)
    current = np.full(len(documents), -1, dtype=np.int64)
    current[doc_of[begun & ~next_begun]] = np.flatnonzero(begun & ~next_begun)

    present = received <= at
    if since is not None:
        finished = _i8(steps, "finished")
        touched = np.zeros(len(documents), dtype=bool)
        touched[doc_of[_within(started, since, at) | _within(finished, since, at)]] = True
        present &= _within(received, since, at) | _within(closed, since, at) | touched
    docs = documents.loc[present]
    received, closed, current = received[present], closed[present], current[present]
    last_start = np.where(current >= 0, started[np.maximum(current, 0)], NAT)
    done = _seen(closed, at)
    closed_text = np.where(_defect(docs, "impossible_time"), received - 3 * DAY, closed)
    return pd.DataFrame({
        "doc_id": _col(docs, "doc_id"),
        "title": _col(docs, "title"),
        "doc_type": _col(docs, "doc_type"),
        "category": _col(docs, "category"),
        "unit_code": _replace(_col(docs, "unit_code"), _defect(docs, "unknown_unit"), UNKNOWN_UNIT["oa"]),
        "handler_id": _take(steps["handler_id"], current),
        "received_at": strings.series(_placeholder(strings.iso_text(received, tz_name),
                                                   _defect(docs, "placeholder_date"))),
        "limit_days": docs["limit_days"].to_numpy(dtype=np.int64),
        "closed_at": _iso(closed_text, done, tz_name),
        "updated_at": _iso(_latest(received, np.where(done, closed, NAT), last_start), None, tz_name),
    })


def oa_steps(steps: pd.DataFrame, at: int, tz_name: str, since: int | None = None) -> pd.DataFrame:
    """oa_document_step rows at `at`: a step exists once started; finished_at once finished."""
    started, finished = _i8(steps, "started"), _i8(steps, "finished")
    present = _seen(started, at)
    if since is not None:
        present &= _within(started, since, at) | _within(finished, since, at)
    rows = steps.loc[present]
    started, finished = started[present], finished[present]
    done = _seen(finished, at)
    finished_text = np.where(_defect(rows, "impossible_time"), started - 2 * 3600, finished)
    return pd.DataFrame({
        "doc_id": _col(rows, "doc_id"),
        "step_no": rows["step_no"].to_numpy(dtype=np.int64),
        "step_name": _col(rows, "step_name"),
        "handler_id": _col(rows, "handler_id"),
        "unit_code": _replace(_col(rows, "unit_code"), _defect(rows, "unknown_unit"), UNKNOWN_UNIT["oa"]),
        "started_at": strings.series(_placeholder(strings.iso_text(started, tz_name),
                                                  _defect(rows, "placeholder_date"))),
        "finished_at": _iso(finished_text, done, tz_name),
        "limit_days": rows["limit_days"].to_numpy(dtype=np.int64),
        "updated_at": _iso(_latest(started, np.where(done, finished, NAT)), None, tz_name),
    })


REQUEST_TIMES = ("received", "dispatched", "first_response", "suspend_start", "suspend_end", "ext_approved",
                 "closed_first", "visit_first", "reopened", "closed", "visit")


def _satisfaction_codes(values: pd.Series) -> np.ndarray:
    """0-2 for 满意/基本满意/不满意, 3 for no answer."""
    categories = [*SATISFACTION, ""]
    if isinstance(values.dtype, pd.CategoricalDtype) and list(values.cat.categories) == categories:
        return values.cat.codes.to_numpy()
    return pd.Categorical(values.fillna(""), categories=categories).codes


def request_rows(requests: pd.DataFrame, at: int, since: int | None = None) -> pd.DataFrame:
    """12345 export rows at `at` (Chinese headers, text cells); with `since`, only orders changed since."""
    t = {c: _i8(requests, c) for c in REQUEST_TIMES}
    present = t["received"] <= at
    if since is not None:
        present &= np.logical_or.reduce([_within(v, since, at) for v in t.values()])
    rows = requests.loc[present]
    t = {c: v[present] for c, v in t.items()}
    seen = {c: _seen(v, at) for c, v in t.items()}

    reopened = seen["reopened"]
    first_round_over = seen["closed_first"] & ~reopened
    closed = np.where(seen["closed"] & reopened, t["closed"], np.where(first_round_over, t["closed_first"], NAT))
    closed_shown = closed != NAT
    final_visit = seen["visit"] & reopened
    first_visit = seen["visit_first"] & ~reopened
    answer = np.where(final_visit, _satisfaction_codes(rows["satisfaction"]),
                      np.where(first_visit, _satisfaction_codes(rows["satisfaction_first"]), len(SATISFACTION)))
    paused = seen["suspend_start"] & ~seen["suspend_end"]
    status = np.select([~seen["dispatched"], paused, final_visit | first_visit, closed_shown], [0, 1, 2, 3], 4)
    updated = _latest(*[np.where(seen[c], t[c], NAT) for c in REQUEST_TIMES])

    received = t["received"]
    closed_text = np.where(_defect(rows, "impossible_time"), received - 2 * DAY, closed)
    received_text = np.where(_defect(rows, "placeholder_date"), PLACEHOLDER_TIME, strings.local_text(received))
    limit = strings.series(rows["limit_days"].to_numpy(dtype=np.int64).astype("S4"))
    odd = np.arange(len(rows)) % 2 == 1
    wrong = _defect(rows, "wrong_type")
    limit = _replace(_replace(limit, wrong & ~odd, NON_NUMERIC_LIMIT[0]), wrong & odd, NON_NUMERIC_LIMIT[1])
    ext_due = rows["ext_due"].to_numpy(dtype="datetime64[s]").view(np.int64)
    frame = pd.DataFrame({
        "工单编号": _replace(_col(rows, "request_id"), _defect(rows, "missing_key"), ""),
        "诉求类型": _col(rows, "category"),
        "标题": _col(rows, "title"),
        "受理时间": strings.series(received_text),
        "派单时间": _local(t["dispatched"], seen["dispatched"]),
        "承办单位编码": _replace(_col(rows, "unit_code"), _defect(rows, "unknown_unit"), UNKNOWN_UNIT["requests"]),
        "承办人工号": _col(rows, "person_id"),
        "首次响应时间": _local(t["first_response"], seen["first_response"]),
        "办结时间": _local(closed_text, closed_shown),
        "办理时限(工作日)": limit,
        "满意度": strings.column([*SATISFACTION, ""], answer),
        "重办次数": strings.column(("0", "1"), reopened.astype(np.int64)),
        "状态": strings.column(REQUEST_STATUSES, status),
        "挂起开始": _local(t["suspend_start"], seen["suspend_start"]),
        "挂起结束": _local(t["suspend_end"], seen["suspend_end"]),
        "延期至": _local(ext_due, seen["ext_approved"]),
        "更新时间": _local(updated),
    })
    return _with_duplicates(frame, _defect(rows, "duplicate"))


def _with_duplicates(frame: pd.DataFrame, duplicate: np.ndarray) -> pd.DataFrame:
    """Rows marked "duplicate" appear twice, one after the other, as a faulty export repeats them."""
    if not duplicate.any():
        return frame
    return frame.iloc[np.repeat(np.arange(len(frame)), np.where(duplicate, 2, 1))].reset_index(drop=True)


def _progress_level(clock: WorkClock, at: int, start: np.ndarray, end: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tenths of the work done at `at` (0-9, 10 when finished) and the working-time span of each milestone."""
    w_start, w_end = clock.to_work(start), clock.to_work(end)
    span = np.maximum(w_end - w_start, 1)
    w_at = clock.to_work(np.full(start.shape, at, dtype=np.int64))
    level = np.clip(np.floor((w_at - w_start) / span * 10), 0, 9).astype(np.int64)
    return np.where(end <= at, 10, level), w_start, span


def ledger_clock(milestones: pd.DataFrame, at: int) -> WorkClock:
    days = np.concatenate([_i8(milestones, "created"), _i8(milestones, "actual_end"), [at]]) // DAY
    return WorkClock.spanning(int(days.min()), int(days.max()), margin_days=31)


def ledger_rows(milestones: pd.DataFrame, at: int, since: int | None = None) -> pd.DataFrame:
    """台账 rows at `at`: progress in steps of 10 %, 100 with the actual completion date once done."""
    created = _i8(milestones, "created")
    start, end = _i8(milestones, "actual_start"), _i8(milestones, "actual_end")
    clock = ledger_clock(milestones, at)
    level, w_start, span = _progress_level(clock, at, start, end)
    present = created <= at
    if since is not None:
        before, _, _ = _progress_level(clock, since, start, end)
        present &= (created > since) | (level != before)
    rows = milestones.loc[present]
    level, w_start, span = level[present], w_start[present], span[present]
    created, end = created[present], end[present]
    done = level == 10
    changed = np.where(done, end, np.where(level > 0, clock.from_work(w_start + span * level // 10), created))

    odd = np.arange(len(rows)) % 2 == 1
    progress = np.where(_defect(rows, "wrong_type"), np.where(odd, NON_NUMERIC_PROGRESS[1], NON_NUMERIC_PROGRESS[0]),
                        (level * 10).astype(object))
    planned_end = strings.series(strings.date_text(_i8(rows, "planned_end")))
    frame = pd.DataFrame({
        "任务编号": _col(rows, "task_id"),
        "任务名称": _col(rows, "task_name"),
        "节点编号": _replace(_col(rows, "node_id"), _defect(rows, "missing_key"), ""),
        "节点名称": _col(rows, "milestone_name"),
        "任务类别": _col(rows, "category"),
        "责任单位编码": _replace(_col(rows, "unit_code"), _defect(rows, "unknown_unit"), UNKNOWN_UNIT["milestones"]),
        "责任人工号": _col(rows, "person_id"),
        "计划开始": strings.series(strings.date_text(_i8(rows, "planned_start"))),
        "计划完成": _replace(planned_end, _defect(rows, "placeholder_date"), PLACEHOLDER_DATE),
        "实际完成": strings.series(strings.date_text(end), done),
        "完成进度(%)": progress,
        "更新时间": _local(np.maximum(created, changed)),
    })
    return _with_duplicates(frame, _defect(rows, "duplicate"))


def event_rows(events: pd.DataFrame, at: int) -> pd.DataFrame:
    """The work-order event log up to `at`."""
    when = _i8(events, "at")
    keep = when <= at
    rows = events.loc[keep]
    return pd.DataFrame({
        "工单编号": rows["request_id"].array,
        "序号": rows["seq"].to_numpy(),
        "事件类型": rows["event"].array,
        "事件时间": strings.series(strings.local_text(when[keep])).array,
        "单位编码": rows["unit_code"].array,
        "人员工号": rows["person_id"].array,
    })
