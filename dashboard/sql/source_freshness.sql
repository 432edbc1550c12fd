-- one row per pipeline: its last run, last success and last failure, for "data as of" and health
with runs as (
    select pipeline, kind, run_id, started_at, finished_at, state, rows_read, rows_loaded, rows_rejected, error
    from pipeline_run
),
last_run as (
    select * from runs
    qualify row_number() over (partition by pipeline order by started_at desc, run_id desc) = 1
),
last_success as (
    select pipeline, max(finished_at) as finished_at
    from runs
    where state = 'success'
    group by pipeline
),
last_failure as (
    select pipeline, finished_at, started_at, error
    from runs
    where state = 'failed'
    qualify row_number() over (partition by pipeline order by started_at desc, run_id desc) = 1
),
rejected as (
    select source as pipeline, count(*) as quarantined
    from quarantine
    group by source
),
final as (
    select
        r.pipeline, r.kind, r.state as last_state, r.started_at as last_started_at, r.finished_at as last_finished_at,
        r.rows_read as last_rows_read, r.rows_loaded as last_rows_loaded, r.rows_rejected as last_rows_rejected,
        s.finished_at as last_success_at,
        coalesce(f.finished_at, f.started_at) as last_failure_at, f.error as last_error,
        coalesce(q.quarantined, 0) as quarantined
    from last_run as r
    left join last_success as s on s.pipeline = r.pipeline
    left join last_failure as f on f.pipeline = r.pipeline
    left join rejected as q on q.pipeline = r.pipeline
)
select * from final
order by case when kind = 'lights' then 1 else 0 end, pipeline
