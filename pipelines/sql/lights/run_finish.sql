-- marks a lights run as finished (success or failed) with its counts and summary
update pipeline_run
set finished_at = $finished_at, state = $state, rows_read = $rows, rows_loaded = $rows, error = $error,
    detail = $detail::json
where run_id = $run_id
