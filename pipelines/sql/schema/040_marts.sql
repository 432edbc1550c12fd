-- Read models of the dashboard, rewritten from the lights by pipelines/marts.py before each publish.
-- Named mart_* rather than fct_/dim_: they hold nothing of their own, only what the dashboard's pages would
-- otherwise count from every item light at every view. Keys are checked by pipelines/sql/marts/checks/.

-- One row: what the marts were built from. The dashboard reads the marts only while lights_as_of and items
-- still match item_light: a snapshot published after a lights run without a marts refresh is "not prepared yet".
create table if not exists mart_refresh (
    lights_as_of  timestamptz,              -- max(item_light.as_of) at the refresh; null: no items
    items         bigint not null,          -- item_light rows at the refresh
    stale_items   bigint not null,          -- of which from a late source
    active_items  bigint not null,          -- rows of mart_active_item
    as_of         timestamptz not null,     -- the as-of time the refresh was given (that of the lights run)
    day           date not null,            -- local day of as_of
    previous_day  date,                     -- latest item history day before it; null: nothing is "newly" red
    trend_from    date not null,            -- first day mart_daily_counts covers
    rewritten_day date not null,            -- local day the ordered marts (active items, item keys) were last
                                            -- written whole; in between, changed rows are appended
    appended_rows bigint not null           -- active items appended since
);

-- One row per counted item (open, or closed in the 30 days before its lights' as-of time): the worklist's
-- rows. Written in status, then unit path order: a list of one status (the worklist's default is red) reads
-- only that status's row groups, and a small scope only the few whose units it covers. Rows changed by later
-- refreshes the same day are appended at the end (in the last row groups, read by every list).
create table if not exists mart_active_item (
    unit_path     varchar not null,
    kind          varchar not null,
    item_id       varchar not null,
    title         varchar,
    category      varchar,
    status        varchar not null,
    unit_code     varchar not null,
    person_id     varchar,
    person_name   varchar,                  -- dim_person's, so the worklist searches names without a join
    due_at        timestamptz,
    done_at       timestamptz,
    is_open       boolean not null,
    wd_remaining  double,
    reason_zh     varchar not null,
    reason_en     varchar not null,
    row_hash      ubigint not null          -- of the whole row: a refresh rewrites only rows whose hash changed
);

-- One row per item light, in key hash order: the item page finds an item's unit and light by its id in
-- one row group instead of scanning every item light (string zone maps keep only 8 bytes: ids share prefixes).
create table if not exists mart_item_key (
    key_hash      ubigint not null,         -- hash(kind, item_id); the dashboard checks its DuckDB hashes alike
    kind          varchar not null,
    item_id       varchar not null,
    unit_code     varchar not null,
    status        varchar not null,
    wd_used       double,
    wd_remaining  double,
    row_hash      ubigint not null          -- of the whole row: a refresh rewrites only rows whose hash changed
);

-- One row per unit, kind and category with items: the unit's own counts (subtrees are summed when read).
create table if not exists mart_unit_counts (
    unit_code     varchar not null,
    kind          varchar not null,
    category      varchar,
    items         bigint not null,          -- every item light, counted or not (the worklist's filter choices)
    red           bigint not null,          -- counted items per status
    yellow        bigint not null,
    green         bigint not null,
    unknown       bigint not null,
    exempted      bigint not null,
    overdue_open  bigint not null,          -- open and red
    due_count     bigint not null,          -- not exempted, with a deadline, closed or past it (on-time base)
    on_time_count bigint not null           -- of those, closed by the deadline
);

-- One row per person, unit and kind with counted items (the unit is the item's, as in the unit counts).
create table if not exists mart_person_counts (
    person_id     varchar not null,
    unit_code     varchar not null,
    kind          varchar not null,
    red           bigint not null,
    yellow        bigint not null,
    green         bigint not null,
    unknown       bigint not null,
    exempted      bigint not null,
    overdue_open  bigint not null,
    due_count     bigint not null,
    on_time_count bigint not null,
    max_overdue_days double                 -- working days the most overdue open red item is late; null: none
);

-- One row per counted item (as in mart_active_item) that is red now and was not red on the latest history day
-- before the as-of day: a part of the red items counted beside it.
create table if not exists mart_newly_red (
    kind          varchar not null,
    item_id       varchar not null,
    title         varchar,
    category      varchar,
    unit_code     varchar not null,
    person_id     varchar,
    wd_remaining  double,
    due_at        timestamptz,
    reason_zh     varchar not null,
    reason_en     varchar not null
);

-- One row per item history day, unit and kind from mart_refresh.trend_from on: items per status that day.
create table if not exists mart_daily_counts (
    snapshot_day  date not null,
    unit_code     varchar not null,
    kind          varchar not null,
    red           bigint not null,
    yellow        bigint not null,
    green         bigint not null,
    unknown       bigint not null,
    exempted      bigint not null
);

-- One row per item history day from mart_refresh.trend_from on, person and unit with items that day: items per
-- status (a person's trend, and a staff member's own), each day's rows in person order.
create table if not exists mart_person_daily (
    snapshot_day  date not null,
    person_id     varchar not null,
    unit_code     varchar not null,
    red           bigint not null,
    yellow        bigint not null,
    green         bigint not null,
    unknown       bigint not null,
    exempted      bigint not null
);

-- One row per item history day in mart_daily_counts and mart_person_daily: what their counts were built from,
-- so a refresh recounts only the days whose history changed (usually today).
create table if not exists mart_history_day (
    snapshot_day  date not null,
    history_rows  bigint not null,
    last_as_of    timestamptz
);
