-- one row: the run's outcome, counts and (when it failed) a one-line error
update pipeline_run
set finished_at = $finished_at,
    state = $state,
    rows_read = $rows_read,
    rows_loaded = $rows_loaded,
    rows_rejected = $rows_rejected,
    error = $error,
    detail = $detail
where run_id = $run_id
