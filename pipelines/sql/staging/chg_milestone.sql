-- one row per valid milestone record that is newer than and different from the one we hold: before and after
create or replace temp table chg_batch as
with incoming as (
    select * from inc_batch($source, $loaded_at, $run_id)
),
compared as (
    select
        n.* exclude (undated),
        to_json(t) as before,
        to_json(n) as after
    from incoming as n
    join fct_milestone as t on t.milestone_id = n.milestone_id
    where (n.undated or n.updated_at >= t.updated_at)
        and (n.task_id, n.task_name, n.name, n.category, n.unit_code, n.person_id, n.planned_start,
             n.planned_date, n.actual_date, n.progress_pct, n.source)
            is distinct from
            (t.task_id, t.task_name, t.name, t.category, t.unit_code, t.person_id, t.planned_start,
             t.planned_date, t.actual_date, t.progress_pct, t.source)
),
final as (
    select milestone_id as item_id, updated_at as changed_at, * from compared
)
select * from final
