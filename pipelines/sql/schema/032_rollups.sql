-- Lights rolled up to persons and units, unit history and streaks, and rate lights over a period.

-- One row per person with counted items (open, or closed within the rollup window).
create table if not exists person_light (
    person_id     varchar not null,
    unit_code     varchar,                  -- the person's unit (dim_person), else the unit of most of their items
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
    run_id        bigint not null,
    primary key (person_id, kind)
);

-- One row per unit, scope and kind: the unit's own items, or its whole subtree.
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
    run_id        bigint not null,
    primary key (unit_code, scope, kind)
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
    run_id        bigint not null,
    primary key (subject_type, subject_id, scope, rate)
);
