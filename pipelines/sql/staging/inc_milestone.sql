-- one row per valid milestone record in the shape of fct_milestone (undated: it carries no update time of its own);
-- a table macro, made after stg_batch, that the change and merge steps share
create or replace temp macro inc_batch(batch_source, batch_loaded_at, batch_run_id) as table
select
    milestone_id, task_id, task_name, name, category, unit_code, person_id, planned_start, planned_date,
    actual_date, progress_pct,
    batch_source as source,
    coalesce(updated_at, batch_loaded_at) as updated_at,
    batch_run_id as run_id,
    updated_at is null as undated
from stg_batch
where reason_code is null
