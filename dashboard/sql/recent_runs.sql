-- one row per pipeline run, newest first
with final as (
    select run_id, pipeline, kind, started_at, finished_at, state, rows_read, rows_loaded, rows_rejected, error,
           date_diff('millisecond', started_at, finished_at) / 1000.0 as seconds
    from pipeline_run
)
select * from final
order by started_at desc, run_id desc
limit $limit::bigint
