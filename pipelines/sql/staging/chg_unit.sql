-- one row per valid unit record that is newer than and different from the one we hold: before and after
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
    join dim_unit as t on t.unit_code = n.unit_code
    where (n.undated or n.updated_at >= t.updated_at)
        and (n.name, n.name_en, n.parent_code, n.level, n.source)
            is distinct from (t.name, t.name_en, t.parent_code, t.level, t.source)
),
final as (
    select unit_code as item_id, updated_at as changed_at, * from compared
)
select * from final
