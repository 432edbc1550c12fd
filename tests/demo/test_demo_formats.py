"""How the demo sources show items at a time: OA rows, 12345 export rows, ledger rows, and their bad records."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from demo import formats
from demo.workdays import local_seconds
from tests.demo.cases import NOW, SH

TZ = "Asia/Shanghai"


@pytest.fixture(scope="module")
def at() -> int:
    return local_seconds(NOW, SH)


@pytest.fixture(scope="module")
def exports(city_year, at) -> dict[str, pd.DataFrame]:
    return {
        "documents": formats.oa_documents(city_year.documents, city_year.steps, at, TZ),
        "steps": formats.oa_steps(city_year.steps, at, TZ),
        "requests": formats.request_rows(city_year.requests, at),
        "ledger": formats.ledger_rows(city_year.milestones, at),
    }


def bad_request_rows(rows: pd.DataFrame, unit_codes: set[str]) -> pd.Series:
    """The rows a pipeline must quarantine, found from the export alone."""
    closed = rows["办结时间"].fillna("")
    return pd.Series({
        "missing_key": (rows["工单编号"] == "").sum(),
        "placeholder_date": rows["受理时间"].str.startswith("1900").sum(),
        "impossible_time": ((closed != "") & (closed < rows["受理时间"]) & ~rows["受理时间"].str.startswith("1900")).sum(),
        "unknown_unit": (~rows["承办单位编码"].isin(unit_codes)).sum(),
        "wrong_type": (~rows["办理时限(工作日)"].str.fullmatch(r"\d+")).sum(),
        "duplicate": rows.duplicated().sum(),
    })


def test_work_order_exports_carry_about_half_a_percent_of_bad_records(exports, city_org):
    rows = exports["requests"]
    assert list(rows.columns) == list(formats.REQUEST_COLUMNS)
    bad = bad_request_rows(rows, set(city_org.units["unit_code"]))
    assert (bad > 0).all(), bad.to_dict()
    assert 0.002 <= bad.sum() / len(rows) <= 0.01


def test_oa_rows_carry_bad_records_a_pipeline_can_spot(exports, city_org):
    units = set(city_org.units["unit_code"])
    for frame, start, end in ((exports["documents"], "received_at", "closed_at"),
                              (exports["steps"], "started_at", "finished_at")):
        placeholder = frame[start].str.startswith("1900-01-01T00:00:00")
        backwards = frame[end].notna() & (frame[end] < frame[start]) & ~placeholder
        unknown = ~frame["unit_code"].isin(units)
        assert placeholder.any() and backwards.any() and unknown.any()
        assert 0.002 <= (placeholder | backwards | unknown).mean() <= 0.01
    good = exports["documents"].loc[~exports["documents"]["received_at"].str.startswith("1900")]
    assert good["received_at"].str.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00").all()


def test_ledger_rows_look_like_a_hand_kept_ledger(exports):
    ledger = exports["ledger"]
    assert list(ledger.columns) == list(formats.LEDGER_COLUMNS)
    numeric = ledger["完成进度(%)"].map(lambda v: isinstance(v, (int, np.integer)))
    progress = ledger.loc[numeric, "完成进度(%)"].astype(int)
    assert set(progress) <= set(range(0, 101, 10)) and {0, 100} <= set(progress)
    done = ledger.loc[numeric & (ledger["完成进度(%)"].map(str) == "100")]
    assert done["实际完成"].notna().all()
    assert ledger.loc[numeric & (ledger["完成进度(%)"].map(str) != "100"), "实际完成"].isna().all()
    plan_start, plan_end = ledger["计划开始"], ledger["计划完成"]
    assert (plan_start <= plan_end).sum() >= len(ledger) - 5  # only placeholder rows may break this


def test_a_reopened_work_order_moves_through_its_states(city_year):
    requests = city_year.requests
    reopened = requests.loc[requests["reopened"].notna() & requests["visit"].notna() & (requests["defect"] == "")]
    item = reopened.iloc[[0]]

    def state(moment: pd.Timestamp, offset_s: int = 0) -> pd.Series:
        seconds = int(moment.to_datetime64().astype("datetime64[s]").astype(np.int64)) + offset_s
        return formats.request_rows(item, seconds).iloc[0]

    row = item.iloc[0]
    assert state(row["dispatched"], -1)["状态"] == "待派单"
    first_close = state(row["closed_first"])
    assert first_close["状态"] == "已办结" and first_close["办结时间"] is not None
    visited = state(row["visit_first"])
    assert visited["状态"] == "已回访" and visited["满意度"] == "不满意"
    again = state(row["reopened"])
    assert again["状态"] == "办理中" and again["重办次数"] == "1" and pd.isna(again["办结时间"])
    final = state(row["visit"])
    assert final["状态"] == "已回访" and final["更新时间"] == row["visit"].strftime("%Y-%m-%d %H:%M:%S")


def test_a_suspended_work_order_shows_the_pause(city_year):
    requests = city_year.requests
    item = requests.loc[requests["suspend_start"].notna() & (requests["defect"] == "")].iloc[[0]]
    start = int(item["suspend_start"].to_numpy().astype("datetime64[s]").astype(np.int64)[0])
    row = formats.request_rows(item, start + 60).iloc[0]
    assert row["状态"] == "挂起" and pd.notna(row["挂起开始"]) and pd.isna(row["挂起结束"])


def test_incremental_exports_hold_only_what_changed(city_year, at):
    since = at - 6 * 3600
    rows = formats.request_rows(city_year.requests, at, since)
    stamp = lambda s: (pd.Timestamp(0) + pd.Timedelta(seconds=s)).strftime("%Y-%m-%d %H:%M:%S")  # noqa: E731
    assert len(rows) > 10
    assert rows["更新时间"].between(stamp(since + 1), stamp(at)).all()
    docs = formats.oa_documents(city_year.documents, city_year.steps, at, TZ, since)
    assert len(docs) > 5
    assert (docs["updated_at"] > stamp(since).replace(" ", "T")).all()


def test_the_document_handler_is_the_one_of_the_latest_started_step(city_year, at, exports):
    docs = exports["documents"].set_index("doc_id")
    steps = exports["steps"]
    latest = steps.sort_values(["doc_id", "step_no"]).groupby("doc_id").last()
    sample = latest.index[:: max(1, len(latest) // 500)]
    assert (docs.loc[sample, "handler_id"] == latest.loc[sample, "handler_id"]).all()
