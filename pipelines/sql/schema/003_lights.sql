-- Working-day calendar, computed lights per item, rollups and their history.

create table if not exists dim_calendar (
    day           date primary key,
    is_workday    boolean not null,
    holiday_name  varchar,
    basis         varchar not null,         -- official | local | assumed (beyond the official calendar: weekends only)
    workday_seq   integer not null          -- count of working days up to and including this day
);

create table if not exists dim_unit_ancestor (
    unit_code      varchar not null,
    ancestor_code  varchar not null,        -- includes the unit itself (depth 0)
    depth          integer not null,
    primary key (unit_code, ancestor_code)
);

-- One row per tracked item with its current light and why.
create table if not exists item_light (
    kind           varchar not null,        -- document | document_step | milestone | request
    item_id        varchar not null,
    title          varchar,
    category       varchar,
    unit_code      varchar not null,
    person_id      varchar,
    started_at     timestamptz,
    due_at         timestamptz,             -- effective deadline (after extensions)
    original_due_at timestamptz,            -- before extensions
    done_at        timestamptz,
    is_open        boolean not null,
    status         varchar not null,        -- green | yellow | red | unknown | exempted
    raw_status     varchar not null,        -- the light before exemptions were applied
    reason_code    varchar not null,
    reason_zh      varchar not null,
    reason_en      varchar not null,
    rule_id        varchar not null,
    rule_version   varchar not null,
    wd_allowed     double,                  -- working days allowed
    wd_used        double,                  -- working days used so far (clock pauses excluded)
    wd_remaining   double,                  -- negative when overdue
    calendar_basis varchar,                 -- official | local | assumed
    source         varchar,
    source_record  varchar,                 -- the source record id(s) this light came from
    stale          boolean not null default false,
    as_of          timestamptz not null,
    run_id         bigint not null,
    primary key (kind, item_id)
);

-- Daily (and on-change) snapshots of item lights, for trends and "newly red since yesterday".
create table if not exists item_light_history (
    snapshot_day   date not null,
    kind           varchar not null,
    item_id        varchar not null,
    unit_code      varchar not null,
    person_id      varchar,
    status         varchar not null,
    as_of          timestamptz not null,
    rule_version   varchar not null,
    primary key (snapshot_day, kind, item_id)
);

-- Exemptions and upheld appeals, copied read-only from the app database at each lights run.
create table if not exists user_decision (
    decision_id    varchar primary key,
    kind           varchar not null,
    item_id        varchar not null,
    decision_type  varchar not null,        -- exempted | appeal_upheld
    reason_code    varchar,
    note           varchar,
    decided_by     varchar,
    decided_at     timestamptz,
    revoked_at     timestamptz,
    revoked_by     varchar
);
