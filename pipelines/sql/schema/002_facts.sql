-- Normalised process facts: documents and their steps, milestones, citizen requests, and change history.

create table if not exists fct_document (
    doc_id       varchar primary key,
    title        varchar,
    doc_type     varchar,                   -- incoming | outgoing | ...
    category     varchar,
    unit_code    varchar not null,          -- unit in charge
    person_id    varchar,                   -- current or last handler
    received_at  timestamptz not null,
    limit_days   integer,                   -- allowed working days for the whole document
    due_at       timestamptz,               -- as given by the source, when it gives one
    closed_at    timestamptz,
    source       varchar not null,
    updated_at   timestamptz not null,      -- source's own change time when known, else load time
    run_id       bigint not null
);

create table if not exists fct_document_step (
    doc_id       varchar not null,
    step_no      integer not null,
    step_name    varchar not null,          -- register | propose | assign | handle | close (or the source's own)
    person_id    varchar,
    unit_code    varchar,
    started_at   timestamptz not null,
    finished_at  timestamptz,
    limit_days   integer,                   -- allowed working days for this step
    source       varchar not null,
    run_id       bigint not null,
    primary key (doc_id, step_no)
);

create table if not exists fct_milestone (
    milestone_id   varchar primary key,
    task_id        varchar,
    task_name      varchar,
    name           varchar not null,
    category       varchar,
    unit_code      varchar not null,
    person_id      varchar,
    planned_start  date,
    planned_date   date not null,
    actual_date    date,
    progress_pct   double,
    source         varchar not null,
    updated_at     timestamptz not null,
    run_id         bigint not null
);

create table if not exists fct_request (
    request_id        varchar primary key,
    category          varchar,              -- consultation | complaint | report | emergency | ...
    title             varchar,
    unit_code         varchar not null,     -- dispatched unit
    person_id         varchar,
    received_at       timestamptz not null,
    dispatched_at     timestamptz,
    first_response_at timestamptz,
    closed_at         timestamptz,
    due_at            timestamptz,          -- as given by the source; else derived from rules
    limit_days        integer,
    satisfaction      varchar,              -- satisfied | basically_satisfied | dissatisfied | null
    reopened_count    integer not null default 0,
    status            varchar,              -- the source's own status text
    source            varchar not null,
    updated_at        timestamptz not null,
    run_id            bigint not null
);

-- Clock pauses (suspended, waiting on the citizen) and approved extensions, per item.
create table if not exists fct_suspension (
    kind         varchar not null,
    item_id      varchar not null,
    started_at   timestamptz not null,
    ended_at     timestamptz,
    reason       varchar,
    source       varchar not null,
    primary key (kind, item_id, started_at)
);

create table if not exists fct_extension (
    kind          varchar not null,
    item_id       varchar not null,
    approved_at   timestamptz not null,
    new_due_at    timestamptz not null,
    reason        varchar,
    source        varchar not null,
    primary key (kind, item_id, approved_at)
);

-- When a record changes at the source, the old and new values are kept here.
create table if not exists fct_change_history (
    kind        varchar not null,
    item_id     varchar not null,
    changed_at  timestamptz not null,
    run_id      bigint not null,
    before      json,
    after       json
);
