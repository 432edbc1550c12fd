-- one row per valid document step record in the shape of fct_document_step;
-- a table macro, made after stg_batch, that the change and merge steps share
create or replace temp macro inc_batch(batch_source, batch_loaded_at, batch_run_id) as table
select
    doc_id, step_no, step_name, person_id, unit_code, started_at, finished_at, limit_days,
    batch_source as source,
    batch_run_id as run_id,
    coalesce(updated_at, batch_loaded_at) as changed_at
from stg_batch
where reason_code is null
