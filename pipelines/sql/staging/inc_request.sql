-- one row per valid work order record in the shape of fct_request (undated: it carries no update time of its own);
-- a table macro, made after stg_batch, that the change and merge steps share
create or replace temp macro inc_batch(batch_source, batch_loaded_at, batch_run_id) as table
select
    request_id, category, title, unit_code, person_id, received_at, dispatched_at, first_response_at,
    closed_at, due_at, limit_days, satisfaction, reopened_count, status,
    batch_source as source,
    coalesce(updated_at, batch_loaded_at) as updated_at,
    batch_run_id as run_id,
    updated_at is null as undated
from stg_batch
where reason_code is null
