-- one row: a pipeline run that has started
insert into pipeline_run (run_id, pipeline, kind, started_at, state)
values ($run_id, $pipeline, $kind, $started_at, 'running')
