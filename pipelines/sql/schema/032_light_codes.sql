-- Closed vocabularies of a light, as enum types. The lights run keeps millions of working rows in memory;
-- an enum is stored and grouped as a small integer, where text would cost a string per row. Tables that
-- readers query keep these columns as text. Adding a value: create a new type under a new name, since a
-- type cannot change while something uses it.
create type if not exists light_status as enum ('green', 'yellow', 'red', 'unknown', 'exempted');

create type if not exists light_reason as enum (
    'no_deadline', 'outside_calendar', 'closed_late', 'closed_on_time', 'overdue', 'not_started', 'behind_plan',
    'paused', 'due_soon', 'no_progress', 'on_track', 'recovering', 'stale_source', 'exempted', 'appeal_upheld'
);

create type if not exists light_calendar_basis as enum ('official', 'local', 'assumed');

create type if not exists light_escalation as enum ('none', 'blue', 'orange', 'red');

create type if not exists light_deadline_basis as enum ('source_limit', 'source_due', 'rule_limit');
