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

-- Every batch exactly as received, kept as a file: an inbox file as it was dropped (moved to done/), the records
-- of a database or API pull as one Parquet file (a past month's pulls merged into one, see 033). Record number
-- first_record_no + i of the run is record row_offset + i of the file (0-based; row_offset, added by
-- 033_raw_batch_offset.sql, is 0 unless the file was compacted). Warehouses made before this table may still hold
-- raw_landing (one JSON row per record of their older runs); it is left as it is and no longer written.
create table if not exists raw_batch_file (
    source          varchar not null,
    kind            varchar not null,
    run_id          bigint not null,
    loaded_at       timestamptz not null,
    first_record_no bigint not null,        -- record_no (within the run) of the file's first record
    records         bigint not null,        -- records in the file
    label           varchar not null,       -- the file name, table or page the batch came from
    format          varchar not null,       -- csv | xlsx | parquet | json | xes: how to read the file
    encoding        varchar,                -- text encoding of a csv/json file (utf-8, gb18030, ...)
    location        varchar not null,       -- the kept file's absolute path
    sha256          varchar not null,       -- of the kept file's bytes
    primary key (run_id, first_record_no)
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
