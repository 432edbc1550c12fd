-- Organisation, run log, cursors, raw landing and quarantine: the mechanics every pipeline shares.

create table if not exists dim_unit (
    unit_code   varchar primary key,
    name        varchar not null,
    name_en     varchar,
    parent_code varchar,
    level       integer not null,          -- 1 = city/county, 2 = bureau/township, 3 = division
    path        varchar not null,          -- '/C/B03/D0307/': a subtree is path like prefix || '%'
    source      varchar,
    updated_at  timestamptz
);

create table if not exists dim_person (
    person_id     varchar primary key,
    name          varchar not null,
    unit_code     varchar not null,
    job_category  varchar not null,        -- law_enforcement | service | management
    difficulty    double not null default 1.0,  -- post difficulty coefficient
    source        varchar,
    updated_at    timestamptz
);

create sequence if not exists seq_run_id start 1;

create table if not exists pipeline_run (
    run_id        bigint primary key,
    pipeline      varchar not null,        -- the source name from config/sources.toml, or 'lights'
    kind          varchar,                 -- documents | milestones | requests | org | lights
    started_at    timestamptz not null,
    finished_at   timestamptz,
    state         varchar not null,        -- running | success | failed
    rows_read     bigint not null default 0,
    rows_loaded   bigint not null default 0,
    rows_rejected bigint not null default 0,
    error         varchar,
    detail        json
);

create table if not exists source_cursor (
    source       varchar primary key,
    cursor_value varchar,
    updated_at   timestamptz not null
);

-- Every record exactly as received, before validation.
create table if not exists raw_landing (
    source     varchar not null,
    kind       varchar not null,
    run_id     bigint not null,
    loaded_at  timestamptz not null,
    record_no  bigint not null,             -- position within the run
    record_key varchar,
    payload    json not null using compression zstd   -- long JSON texts: zstd is smaller and cheaper to write
);

-- Records that failed validation: the original record, the reason and the run.
create table if not exists quarantine (
    source         varchar not null,
    kind           varchar not null,
    run_id         bigint not null,
    quarantined_at timestamptz not null,
    record_no      bigint,
    record_key     varchar,
    reason_code    varchar not null,        -- missing_key | bad_timestamp | impossible_time | unknown_unit | duplicate | wrong_type ...
    reason         varchar not null,        -- a sentence a person can act on
    payload        json not null using compression zstd
);

-- Files taken from an inbox folder: never read twice.
create table if not exists processed_file (
    source      varchar not null,
    file_name   varchar not null,
    sha256      varchar not null,
    size_bytes  bigint not null,
    run_id      bigint not null,
    processed_at timestamptz not null,
    moved_to    varchar,
    primary key (source, sha256)
);
