-- one row per valid milestone record that is new, or newer than and different from what we hold
create or replace temp table chg_batch as
with incoming as (
    select
        milestone_id, task_id, task_name, name, category, unit_code, person_id, planned_start, planned_date,
        actual_date, progress_pct,
        $source as source,
        coalesce(updated_at, $loaded_at) as updated_at,
        $run_id as run_id,
        updated_at is null as undated
    from stg_batch
    where reason_code is null
),
compared as (
    select
        n.* exclude (undated),
        t.milestone_id is null as is_new,
        case when t.milestone_id is not null then to_json(t) end as before,
        case when t.milestone_id is not null then to_json(n) end as after
    from incoming as n
    left join fct_milestone as t on t.milestone_id = n.milestone_id
    where t.milestone_id is null
        or ((n.undated or n.updated_at >= t.updated_at)
            and (n.task_id, n.task_name, n.name, n.category, n.unit_code, n.person_id, n.planned_start,
                 n.planned_date, n.actual_date, n.progress_pct, n.source)
                is distinct from
                (t.task_id, t.task_name, t.name, t.category, t.unit_code, t.person_id, t.planned_start,
                 t.planned_date, t.actual_date, t.progress_pct, t.source))
),
final as (
    select milestone_id as item_id, updated_at as changed_at, * from compared
)
select * from final
