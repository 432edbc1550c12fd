-- runs left 'running' by a process that stopped: only one writer exists, so none is still going
update pipeline_run
set state = 'failed',
    finished_at = $now,
    error = 'interrupted: the pipeline process stopped before the run finished; nothing of it was loaded'
where state = 'running'
