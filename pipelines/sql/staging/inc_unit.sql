-- one row per valid unit record in the shape of dim_unit (undated: it carries no update time of its own);
-- a table macro, made after stg_batch, that the change and merge steps share
create or replace temp macro inc_batch(batch_source, batch_loaded_at, batch_run_id) as table
select
    unit_code, name, coalesce(name_en, t_name_en) as name_en, parent_code,
    coalesce(level, t_level, 0) as level,
    coalesce(t_path, '/' || unit_code || '/') as path,
    batch_source as source,
    coalesce(updated_at, batch_loaded_at) as updated_at,
    updated_at is null as undated
from (
    select s.*, t.name_en as t_name_en, t.level as t_level, t.path as t_path
    from stg_batch as s
    left join dim_unit as t on t.unit_code = s.unit_code
    where s.reason_code is null
)
