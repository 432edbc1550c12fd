-- one new pipeline_run row for a lights run, returning its id
insert into pipeline_run (run_id, pipeline, kind, started_at, state)
values (nextval('seq_run_id'), 'lights', 'lights', $started_at, 'running')
returning run_id
