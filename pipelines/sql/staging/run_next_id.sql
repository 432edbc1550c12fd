-- one row: the id for the next pipeline run
select nextval('seq_run_id')
