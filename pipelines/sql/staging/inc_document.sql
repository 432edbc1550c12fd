-- one row per valid document record in the shape of fct_document (undated: it carries no update time of its own);
-- a table macro, made after stg_batch, that the change and merge steps share
create or replace temp macro inc_batch(batch_source, batch_loaded_at, batch_run_id) as table
select
    doc_id, title, doc_type, category, unit_code, person_id, received_at, limit_days, due_at, closed_at,
    batch_source as source,
    coalesce(updated_at, batch_loaded_at) as updated_at,
    batch_run_id as run_id,
    updated_at is null as undated
from stg_batch
where reason_code is null
