"""How the demo source systems show items at a time: OA rows, 12345 export rows, ledger rows, event rows.

Each function takes items with their whole lives (demo/activity.py) and a local time `at`
(int64 local seconds) and returns the rows exactly as the source would hand them over: text
times, Chinese headers where the source has them, bad records applied. With `since`, only the
items that changed in (since, at] are returned, as a source's incremental export would.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from demo import strings
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


def _iso(t: np.ndarray, valid: np.ndarray | None, tz_name: str) -> pd.Series:
    return strings.series(strings.iso_text(t, tz_name), valid)


def _placeholder(iso: np.ndarray, bad: np.ndarray) -> np.ndarray:
    """ISO times with the bad ones replaced by 1900-01-01 00:00 (keeping their offset), as old systems write."""
    if not bad.any():
        return iso
    offsets = iso[bad].view("S1").reshape(-1, 25)[:, 19:].copy().view("S6").ravel()
    out = iso.copy()
    out[bad] = strings.concat(PLACEHOLDER_TIME.replace(b" ", b"T"), offsets)
    return out


def changed_document_ids(steps: pd.DataFrame, since: int, at: int) -> np.ndarray:
    started, finished = _i8(steps, "started"), _i8(steps, "finished")
    return steps["doc_id"].to_numpy()[_within(started, since, at) | _within(finished, since, at)]


def oa_documents(documents: pd.DataFrame, steps: pd.DataFrame, at: int, tz_name: str,
                 since: int | None = None) -> pd.DataFrame:
    """oa_document rows at `at`; the handler is the one of the latest step started by then."""
    received, closed = _i8(documents, "received"), _i8(documents, "closed")
    present = received <= at
    if since is not None:
        touched = documents["doc_id"].isin(changed_document_ids(steps, since, at)).to_numpy()
        present &= _within(received, since, at) | _within(closed, since, at) | touched
    docs = documents.loc[present]
    received, closed = received[present], closed[present]

    started = _i8(steps, "started")
    begun = _seen(started, at) & steps["doc_id"].isin(docs["doc_id"]).to_numpy()
    current = pd.DataFrame({"doc_id": steps["doc_id"].to_numpy()[begun],
                            "handler_id": steps["handler_id"].to_numpy()[begun], "started": started[begun]})
    current = current.drop_duplicates("doc_id", keep="last").set_index("doc_id")  # steps are in step order
    handler = current["handler_id"].reindex(docs["doc_id"]).to_numpy()
    last_start = current["started"].reindex(docs["doc_id"]).fillna(NAT).to_numpy(dtype=np.int64)

    done = _seen(closed, at)
    defect = docs["defect"].to_numpy()
    closed_text = np.where(defect == "impossible_time", received - 3 * DAY, closed)
    received_text = _placeholder(strings.iso_text(received, tz_name), defect == "placeholder_date")
    return pd.DataFrame({
        "doc_id": docs["doc_id"].to_numpy(),
        "title": docs["title"].to_numpy(),
        "doc_type": docs["doc_type"].to_numpy(),
        "category": docs["category"].to_numpy(),
        "unit_code": np.where(defect == "unknown_unit", UNKNOWN_UNIT["oa"], docs["unit_code"].to_numpy()),
        "handler_id": handler,
        "received_at": strings.series(received_text),
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
    defect = rows["defect"].to_numpy()
    started_text = _placeholder(strings.iso_text(started, tz_name), defect == "placeholder_date")
    finished_text = np.where(defect == "impossible_time", started - 2 * 3600, finished)
    return pd.DataFrame({
        "doc_id": rows["doc_id"].to_numpy(),
        "step_no": rows["step_no"].to_numpy(dtype=np.int64),
        "step_name": rows["step_name"].to_numpy(),
        "handler_id": rows["handler_id"].to_numpy(),
        "unit_code": np.where(defect == "unknown_unit", UNKNOWN_UNIT["oa"], rows["unit_code"].to_numpy()),
        "started_at": strings.series(started_text),
        "finished_at": _iso(finished_text, done, tz_name),
        "limit_days": rows["limit_days"].to_numpy(dtype=np.int64),
        "updated_at": _iso(_latest(started, np.where(done, finished, NAT)), None, tz_name),
    })


REQUEST_TIMES = ("received", "dispatched", "first_response", "suspend_start", "suspend_end", "ext_approved",
                 "closed_first", "visit_first", "reopened", "closed", "visit")


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
    satisfaction = np.where(final_visit, rows["satisfaction"].to_numpy(),
                            np.where(first_visit, rows["satisfaction_first"].to_numpy(), ""))
    visited = final_visit | first_visit
    paused = seen["suspend_start"] & ~seen["suspend_end"]
    status = np.select([~seen["dispatched"], paused, visited, closed_shown],
                       ["待派单", "挂起", "已回访", "已办结"], "办理中").astype(object)
    updated = _latest(*[np.where(seen[c], t[c], NAT) for c in REQUEST_TIMES])

    defect = rows["defect"].to_numpy()
    received = t["received"]
    closed_text = np.where(defect == "impossible_time", received - 2 * DAY, closed)
    received_text = np.where(defect == "placeholder_date", PLACEHOLDER_TIME, strings.local_text(received))
    limit = rows["limit_days"].to_numpy(dtype=np.int64).astype(str).astype(object)
    odd = np.arange(len(rows)) % 2 == 1
    limit = np.where(defect == "wrong_type", np.where(odd, NON_NUMERIC_LIMIT[1], NON_NUMERIC_LIMIT[0]), limit)

    def text(values: np.ndarray, valid: np.ndarray) -> pd.Series:
        return strings.series(strings.local_text(values), valid)

    frame = pd.DataFrame({
        "工单编号": np.where(defect == "missing_key", "", rows["request_id"].to_numpy()),
        "诉求类型": rows["category"].to_numpy(),
        "标题": rows["title"].to_numpy(),
        "受理时间": strings.series(received_text),
        "派单时间": text(t["dispatched"], seen["dispatched"]),
        "承办单位编码": np.where(defect == "unknown_unit", UNKNOWN_UNIT["requests"], rows["unit_code"].to_numpy()),
        "承办人工号": rows["person_id"].to_numpy(),
        "首次响应时间": text(t["first_response"], seen["first_response"]),
        "办结时间": text(closed_text, closed_shown),
        "办理时限(工作日)": limit,
        "满意度": satisfaction.astype(object),
        "重办次数": reopened.astype(np.int64).astype(str).astype(object),
        "状态": status,
        "挂起开始": text(t["suspend_start"], seen["suspend_start"]),
        "挂起结束": text(t["suspend_end"], seen["suspend_end"]),
        "延期至": text(rows["ext_due"].to_numpy(dtype="datetime64[s]").view(np.int64), seen["ext_approved"]),
        "更新时间": strings.series(strings.local_text(updated)),
    })
    return _with_duplicates(frame, defect)


def _with_duplicates(frame: pd.DataFrame, defect: np.ndarray) -> pd.DataFrame:
    """Rows marked "duplicate" appear twice, one after the other, as a faulty export repeats them."""
    repeats = np.where(defect == "duplicate", 2, 1)
    return frame.iloc[np.repeat(np.arange(len(frame)), repeats)].reset_index(drop=True)


def _progress_level(clock: WorkClock, at: int, start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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
    updated = np.maximum(created, changed)

    defect = rows["defect"].to_numpy()
    progress = (level * 10).astype(object)
    odd = np.arange(len(rows)) % 2 == 1
    progress = np.where(defect == "wrong_type", np.where(odd, NON_NUMERIC_PROGRESS[1], NON_NUMERIC_PROGRESS[0]),
                        progress)
    planned_end = strings.series(strings.date_text(_i8(rows, "planned_end"))).to_numpy(dtype=object)
    frame = pd.DataFrame({
        "任务编号": rows["task_id"].to_numpy(),
        "任务名称": rows["task_name"].to_numpy(),
        "节点编号": np.where(defect == "missing_key", "", rows["milestone_id"].to_numpy()),
        "节点名称": rows["milestone_name"].to_numpy(),
        "任务类别": rows["category"].to_numpy(),
        "责任单位编码": np.where(defect == "unknown_unit", UNKNOWN_UNIT["milestones"], rows["unit_code"].to_numpy()),
        "责任人工号": rows["person_id"].to_numpy(),
        "计划开始": strings.series(strings.date_text(_i8(rows, "planned_start"))).to_numpy(dtype=object),
        "计划完成": np.where(defect == "placeholder_date", PLACEHOLDER_DATE, planned_end),
        "实际完成": strings.series(strings.date_text(end), done),
        "完成进度(%)": progress,
        "更新时间": strings.series(strings.local_text(updated)),
    })
    return _with_duplicates(frame, defect)


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

