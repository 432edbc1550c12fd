-- one row per valid person record that is newer than and different from the one we hold: before and after
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
    join dim_person as t on t.person_id = n.person_id
    where (n.undated or n.updated_at >= t.updated_at)
        and (n.name, n.unit_code, n.job_category, n.difficulty, n.source)
            is distinct from (t.name, t.unit_code, t.job_category, t.difficulty, t.source)
),
final as (
    select person_id as item_id, updated_at as changed_at, * from compared
)
select * from final
