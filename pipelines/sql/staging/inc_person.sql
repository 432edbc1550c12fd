-- one row per valid person record in the shape of dim_person (undated: it carries no update time of its own);
-- a table macro, made after stg_batch, that the change and merge steps share
create or replace temp macro inc_batch(batch_source, batch_loaded_at, batch_run_id) as table
select
    person_id, name, unit_code, job_category, coalesce(difficulty, 1.0) as difficulty,
    batch_source as source,
    coalesce(updated_at, batch_loaded_at) as updated_at,
    updated_at is null as undated
from stg_batch
where reason_code is null
