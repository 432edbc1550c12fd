-- one row per configured source: its last runs and whether its data is older than expected at $now
insert into source_status
with runs as (
    select
        pipeline, state, started_at, error, rows_rejected,
        row_number() over (partition by pipeline order by started_at desc, run_id desc) as recency
    from pipeline_run
),
last_run as (
    select * from runs where recency = 1
),
last_success as (
    select pipeline, max(finished_at) as last_success_at
    from pipeline_run
    where state = 'success'
    group by pipeline
),
final as (
    select
        c.source,
        c.kind,
        s.last_success_at,
        r.started_at as last_run_at,
        r.state as last_state,
        case when r.state = 'failed' then r.error end as last_error,
        c.expected_interval_s,
        coalesce(s.last_success_at < $now - to_seconds(c.expected_interval_s), true) as is_stale,
        coalesce(r.rows_rejected, 0) as rejected_last_run
    from configured_sources as c
    left join last_run as r on r.pipeline = c.source
    left join last_success as s on s.pipeline = c.source
)
select * from final
