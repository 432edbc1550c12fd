-- one row per recent pipeline run, newest first
select run_id, pipeline, state, started_at, rows_read, rows_loaded, rows_rejected, error
from pipeline_run
order by started_at desc, run_id desc
limit $limit
