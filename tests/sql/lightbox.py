"""A tiny warehouse for SQL tests of the lights: a few units and people, facts added row by row, one recompute."""
from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

from pipelines import calendar, lights, rules, warehouse

TZ = ZoneInfo("Asia/Shanghai")

UNITS = (
    # code, name, parent, level, path
    ("C", "示范市", None, 1, "/C/"),
    ("B01", "市发展改革委", "C", 2, "/C/B01/"),
    ("D0101", "综合科", "B01", 3, "/C/B01/D0101/"),
    ("D0102", "规划科", "B01", 3, "/C/B01/D0102/"),
    ("B02", "市数据局", "C", 2, "/C/B02/"),
)
PERSONS = (
    ("P1", "王芳", "D0101", "service"),
    ("P2", "陈静", "D0102", "law_enforcement"),
    ("P3", "孙丽", "B02", "management"),
)


def at(text: str | None) -> datetime | None:
    """'2026-03-16 10:00' in Shanghai time, or any ISO-8601 time with an offset."""
    if text is None:
        return None
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=TZ)


class Box:
    """One DuckDB file with the schema applied, the org tree above, and helpers to add facts and read lights."""

    def __init__(self, folder: Path, name: str = "warehouse.duckdb"):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / name
        self.app_db = folder / "app.sqlite"
        self.con = duckdb.connect(str(self.path))
        self.con.execute("set TimeZone = 'Asia/Shanghai'")
        warehouse.apply_schema(self.con)
        self.con.executemany(
            "insert into dim_unit (unit_code, name, parent_code, level, path, source) values (?, ?, ?, ?, ?, 'test')",
            UNITS)
        self.con.executemany(
            "insert into dim_person (person_id, name, unit_code, job_category, source) values (?, ?, ?, ?, 'test')",
            PERSONS)

    def close(self) -> None:
        self.con.close()

    # -- facts

    def request(self, request_id: str, received: str, category: str | None = "complaint", *,
                unit: str = "D0101", person: str | None = "P1", closed: str | None = None,
                limit: int | None = None, due: str | None = None, satisfaction: str | None = None,
                reopened: int = 0, source: str = "hotline") -> None:
        self.con.execute(
            "insert into fct_request (request_id, category, title, unit_code, person_id, received_at, closed_at, "
            "due_at, limit_days, satisfaction, reopened_count, source, updated_at, run_id) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
            [request_id, category, f"工单 {request_id}", unit, person, at(received), at(closed), at(due), limit,
             satisfaction, reopened, source, at(received)])

    def document(self, doc_id: str, received: str, *, limit: int | None = None, closed: str | None = None,
                 unit: str = "D0101", person: str | None = "P1", doc_type: str = "incoming") -> None:
        self.con.execute(
            "insert into fct_document (doc_id, title, doc_type, category, unit_code, person_id, received_at, "
            "limit_days, closed_at, source, updated_at, run_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'oa', ?, 0)",
            [doc_id, f"公文 {doc_id}", doc_type, doc_type, unit, person, at(received), limit, at(closed),
             at(received)])

    def step(self, doc_id: str, step_no: int, name: str, started: str, *, limit: int | None = None,
             finished: str | None = None, unit: str = "D0101", person: str | None = "P1") -> None:
        self.con.execute(
            "insert into fct_document_step (doc_id, step_no, step_name, person_id, unit_code, started_at, "
            "finished_at, limit_days, source, run_id) values (?, ?, ?, ?, ?, ?, ?, ?, 'oa', 0)",
            [doc_id, step_no, name, person, unit, at(started), at(finished), limit])

    def milestone(self, milestone_id: str, planned_start: str | None, planned: str, *,
                  progress: float | None = None, actual: str | None = None, unit: str = "D0102",
                  person: str | None = "P2", category: str = "key_task") -> None:
        self.con.execute(
            "insert into fct_milestone (milestone_id, task_id, task_name, name, category, unit_code, person_id, "
            "planned_start, planned_date, actual_date, progress_pct, source, updated_at, run_id) "
            "values (?, 'T1', '重点任务', ?, ?, ?, ?, ?, ?, ?, ?, 'ledger', now(), 0)",
            [milestone_id, f"节点 {milestone_id}", category, unit, person,
             date.fromisoformat(planned_start) if planned_start else None, date.fromisoformat(planned),
             date.fromisoformat(actual) if actual else None, progress])

    def set_progress(self, milestone_id: str, progress: float) -> None:
        self.con.execute("update fct_milestone set progress_pct = ? where milestone_id = ?", [progress, milestone_id])

    def suspend(self, kind: str, item_id: str, started: str, ended: str | None) -> None:
        self.con.execute("insert into fct_suspension values (?, ?, ?, ?, '等待补充材料', 'test')",
                         [kind, item_id, at(started), at(ended)])

    def extend(self, kind: str, item_id: str, approved: str, new_due: str) -> None:
        self.con.execute("insert into fct_extension values (?, ?, ?, ?, '申请延期', 'test')",
                         [kind, item_id, at(approved), at(new_due)])

    def decide(self, decision_id: str, kind: str, item_id: str, decided_at: str, *,
               decision_type: str = "exempted", revoked_at: str | None = None, note: str = "特大暴雨") -> None:
        """Record a decision in the app database the way the dashboard does (ISO text with offset)."""
        app = sqlite3.connect(self.app_db)
        try:
            app.execute(
                "create table if not exists decision (decision_id text primary key, kind text, item_id text, "
                "decision_type text, reason_code text, note text, decided_by text, decided_at text, "
                "revoked_at text, revoked_by text)")
            app.execute(
                "insert or replace into decision values (?, ?, ?, ?, 'force_majeure', ?, 'sup_b01', ?, ?, ?)",
                [decision_id, kind, item_id, decision_type, note, at(decided_at).isoformat(),
                 at(revoked_at).isoformat() if revoked_at else None, "sup_b01" if revoked_at else None])
            app.commit()
        finally:
            app.close()

    # -- lights

    def run(self, as_of: str, rule_set: rules.RuleSet | None = None,
            calendar_config: calendar.CalendarConfig | None = None) -> dict:
        return lights.recompute(self.con, at(as_of), rule_set=rule_set or rules.load_rules(),
                                calendar_config=calendar_config or calendar.parse_config({}),
                                app_db=self.app_db)

    def light(self, kind: str, item_id: str) -> dict:
        cursor = self.con.execute("select * from item_light where kind = ? and item_id = ?", [kind, item_id])
        names = [d[0] for d in cursor.description]
        row = cursor.fetchone()
        assert row is not None, f"no light for {kind} {item_id}"
        return dict(zip(names, row))

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        return self.con.execute(sql, params or []).fetchall()
