-- The rule set the last lights run applied, as declared in config/rules.toml (traceability of every light).

-- One row per declared rule and selector combination; null parameters are inherited from less specific rules.
create table if not exists light_rule (
    rule_version                  varchar not null,
    rule_id                       varchar not null,
    ordinal                       integer not null,   -- declaration order; later wins among equals
    indicator                     varchar not null,   -- document | document_step | milestone | request
    category                      varchar,            -- null: any
    unit_code                     varchar,            -- null: any; else this unit's whole subtree
    job_category                  varchar,            -- null: any
    dims                          integer not null,   -- how many of category/unit/job_category are set
    limit_workdays                integer,
    yellow_unit                   varchar,            -- workdays | workhours | share
    yellow_value                  double,
    progress_yellow_behind        double,
    progress_red_behind           double,
    progress_clock                varchar,            -- calendar | workdays
    not_started_yellow_after_days integer,
    not_started_red_after_months  integer
);
