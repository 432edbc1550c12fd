-- Source bookkeeping beyond the core tables: cursor boundary keys and each source's freshness.

-- Keys of the records read at exactly the stored cursor value: reading from the cursor inclusively
-- (so records written later with the same update time are not missed) must not re-read these.
create table if not exists source_cursor_key (
    source      varchar not null,           -- '<source>.<stream>', as in source_cursor
    record_key  varchar not null,
    primary key (source, record_key)
);

-- One row per configured source: last runs and whether its data is older than expected.
-- Rebuilt by the pipelines after every run and every scheduled lights recompute.
create table if not exists source_status (
    source               varchar primary key,
    kind                 varchar,
    last_success_at      timestamptz,
    last_run_at          timestamptz,
    last_state           varchar,           -- running | success | failed | null (never ran)
    last_error           varchar,           -- the one-line error of the last run when it failed
    expected_interval_s  double,
    is_stale             boolean not null,  -- no success within expected_interval_s before the status time
    rejected_last_run    bigint not null default 0
);
