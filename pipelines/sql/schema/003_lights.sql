-- Working-day calendar, computed lights per item, rollups to persons and units, and their history.

-- The deployment's calendar (unit calendars: calendar_day). Rebuilt by every lights run.
create table if not exists dim_calendar (
    day           date primary key,
    is_workday    boolean not null,
    holiday_name  varchar,                  -- e.g. 春节; also set on the holiday's make-up working days
    basis         varchar not null,         -- official | local | assumed (beyond the official calendar: weekends only)
    workday_seq   integer not null,         -- count of working days up to and including this day
    day_type      varchar,                  -- workday | weekend | holiday | makeup_workday | local_workday | local_day_off
    holiday_name_en varchar
);

create table if not exists dim_unit_ancestor (
    unit_code      varchar not null,
    ancestor_code  varchar not null,        -- includes the unit itself (depth 0)
    depth          integer not null,
    primary key (unit_code, ancestor_code)
);

-- One row per tracked item with its current light and why. Key: (kind, item_id), checked by
-- pipelines/sql/lights/checks/ rather than declared, so that the full rewrite of each run stays fast.
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
    raw_reason_code varchar,                -- reason_code of raw_status
    wd_late        double,                  -- working days past the deadline (open: so far; closed: when done)
    wd_paused      double,                  -- working days the clock stood still (suspensions)
    escalation     varchar,                 -- none | blue | orange | red: supervision ladder by lateness
    decision_id    varchar,                 -- the exemption or upheld appeal applied, if any
    progress_pct   double,                  -- milestones: reported progress
    planned_pct    double,                  -- milestones: time-proportional planned progress (序时进度)
    last_red_at    timestamptz,             -- anti-flapping memory: the last run that showed it red, once it is no longer red
    recovering     boolean,                 -- recovering from red: shown yellow until the hold ends (anti-flapping)
    calendar_id    varchar,                 -- the calendar the clock counted on ('default' or a unit calendar)
    light_hash     ubigint                  -- fingerprint of the row without as_of/run_id: unchanged rows are not rewritten
);

-- Daily (and on-change) snapshots of item lights, for trends and "newly red since yesterday": each lights
-- run records, for the local day of its as_of, every open item and every item whose light changed; a later
-- run on the same day replaces that day's row. Key: (snapshot_day, kind, item_id), checked not declared.
create table if not exists item_light_history (
    snapshot_day   date not null,
    kind           varchar not null,
    item_id        varchar not null,
    unit_code      varchar not null,
    person_id      varchar,
    status         varchar not null,
    as_of          timestamptz not null,
    rule_version   varchar not null,
    raw_status     varchar,
    reason_code    varchar
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

-- Rollups to persons and units, unit history and streaks, and rate lights over a period. Each run rewrites
-- these tables whole; their keys are checked by pipelines/sql/lights/checks/ rather than declared.
-- One row per person with counted items (open, or closed within the rollup window) and kind. Key: (person_id, kind).
create table if not exists person_light (
    person_id     varchar not null,
    unit_code     varchar,                  -- the person's unit (dim_person), else the first unit of their items
    kind          varchar not null,         -- all | document | document_step | milestone | request
    status        varchar not null,         -- green | yellow | red | unknown
    reason_code   varchar not null,         -- worst | red_share | yellow_share | mostly_unknown | no_items
    items         bigint not null,          -- counted items, exempted included
    red           bigint not null,
    yellow        bigint not null,
    green         bigint not null,
    unknown       bigint not null,
    exempted      bigint not null,
    red_share     double,                   -- red / (red + yellow + green + unknown)
    worst_escalation varchar not null,      -- none | blue | orange | red over the person's open items
    as_of         timestamptz not null,
    rule_version  varchar not null,
    run_id        bigint not null
);

-- One row per unit, scope and kind: the unit's own items, or its whole subtree. Key: (unit_code, scope, kind).
create table if not exists unit_light (
    unit_code     varchar not null,
    scope         varchar not null,         -- own | subtree
    kind          varchar not null,         -- all | document | document_step | milestone | request
    status        varchar not null,
    reason_code   varchar not null,
    items         bigint not null,
    red           bigint not null,
    yellow        bigint not null,
    green         bigint not null,
    unknown       bigint not null,
    exempted      bigint not null,
    red_share     double,
    worst_escalation varchar not null,      -- none | blue | orange | red over the open items
    red_days_in_row integer not null,       -- kind 'all': working days in a row (up to as_of) with any red item
    red_since     date,                     -- first day of that run of red days
    escalation    varchar not null,         -- kind 'all': none | blue | orange | red by red_days_in_row ([escalation.unit])
    as_of         timestamptz not null,
    rule_version  varchar not null,
    run_id        bigint not null
);

-- One row per day, unit and scope (kind 'all'): the counts of the last lights run of that day.
create table if not exists unit_light_history (
    snapshot_day  date not null,
    unit_code     varchar not null,
    scope         varchar not null,
    status        varchar not null,
    red           bigint not null,
    yellow        bigint not null,
    green         bigint not null,
    unknown       bigint not null,
    exempted      bigint not null,
    as_of         timestamptz not null,
    rule_version  varchar not null,
    primary key (snapshot_day, unit_code, scope)
);

-- One row per subject (person, or unit with scope own/subtree) and rate over the period before as_of.
-- Key: (subject_type, subject_id, scope, rate).
create table if not exists rate_light (
    subject_type  varchar not null,         -- person | unit
    subject_id    varchar not null,
    scope         varchar not null,         -- own | subtree (persons: own)
    rate          varchar not null,         -- on_time | satisfaction | reopened
    numerator     bigint not null,
    denominator   bigint not null,
    value         double,                   -- numerator / denominator; null when the denominator is 0
    min_sample    integer not null,
    status        varchar not null,         -- green | yellow | red | unknown (fewer than min_sample: not enough data)
    reason_code   varchar not null,         -- rate_ok | rate_low | rate_high | not_enough_data
    reason_zh     varchar not null,
    reason_en     varchar not null,
    period_start  timestamptz not null,
    period_end    timestamptz not null,
    rule_version  varchar not null,
    run_id        bigint not null
);
