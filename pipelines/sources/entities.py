"""The canonical records a source maps onto: field names, their types and each entity's key."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entity:
    name: str
    key: tuple[str, ...]
    fields: tuple[str, ...]
    kind: str                  # the pipeline kind this entity belongs to (pipeline_run.kind)
    item_kind: str | None      # the item kind in item_light / fct_change_history, when it has one


ENTITIES: dict[str, Entity] = {e.name: e for e in (
    Entity("unit", ("unit_code",),
           ("unit_code", "name", "name_en", "parent_code", "level", "updated_at"), "org", "unit"),
    Entity("person", ("person_id",),
           ("person_id", "name", "unit_code", "job_category", "difficulty", "updated_at"), "org", "person"),
    Entity("document", ("doc_id",),
           ("doc_id", "title", "doc_type", "category", "unit_code", "person_id", "received_at", "limit_days",
            "due_at", "closed_at", "updated_at"), "documents", "document"),
    Entity("document_step", ("doc_id", "step_no"),
           ("doc_id", "step_no", "step_name", "person_id", "unit_code", "started_at", "finished_at",
            "limit_days", "updated_at"), "documents", "document_step"),
    Entity("milestone", ("milestone_id",),
           ("milestone_id", "task_id", "task_name", "name", "category", "unit_code", "person_id",
            "planned_start", "planned_date", "actual_date", "progress_pct", "updated_at"), "milestones", "milestone"),
    Entity("request", ("request_id",),
           ("request_id", "category", "title", "unit_code", "person_id", "received_at", "dispatched_at",
            "first_response_at", "closed_at", "due_at", "limit_days", "satisfaction", "reopened_count", "status",
            "suspended_from", "suspended_until", "extended_to", "updated_at"), "requests", "request"),
    # One event of a process-mining log; cases become documents and events become document steps.
    Entity("event", ("case_id", "activity", "event_time"),
           ("case_id", "activity", "event_time", "resource", "org_group", "case_title", "case_type", "case_start",
            "case_deadline", "case_end", "case_unit", "case_person"), "documents", None),
)}

KINDS = ("org", "documents", "milestones", "requests")

# Fields the staging SQL reads with parse_time / parse_date and never as part of a key: a source column that is
# already a timestamp (or, for a date field, a date or a wall-clock time) reaches them typed, not as text.
TIME_FIELDS = frozenset({"received_at", "dispatched_at", "first_response_at", "closed_at", "due_at",
                         "suspended_from", "suspended_until", "extended_to", "updated_at", "started_at",
                         "finished_at"})
DATE_FIELDS = frozenset({"planned_start", "planned_date", "actual_date"})


def entity(name: str) -> Entity:
    try:
        return ENTITIES[name]
    except KeyError:
        raise ValueError(f"unknown entity {name!r}; known: {', '.join(ENTITIES)}") from None
