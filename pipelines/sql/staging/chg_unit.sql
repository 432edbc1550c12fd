-- one row per valid unit record that is new, or newer than and different from what we hold
create or replace temp table chg_batch as
with incoming as (
    select
        unit_code, name, coalesce(name_en, t_name_en) as name_en, parent_code,
        coalesce(level, t_level, 0) as level,
        coalesce(t_path, '/' || unit_code || '/') as path,
        $source as source,
        coalesce(updated_at, $loaded_at) as updated_at,
        updated_at is null as undated
    from (
        select s.*, t.name_en as t_name_en, t.level as t_level, t.path as t_path
        from stg_batch as s
        left join dim_unit as t on t.unit_code = s.unit_code
        where s.reason_code is null
    )
),
compared as (
    select
        n.* exclude (undated),
        t.unit_code is null as is_new,
        case when t.unit_code is not null then to_json(t) end as before,
        case when t.unit_code is not null then to_json(n) end as after
    from incoming as n
    left join dim_unit as t on t.unit_code = n.unit_code
    where t.unit_code is null
        or ((n.undated or n.updated_at >= t.updated_at)
            and (n.name, n.name_en, n.parent_code, n.level, n.source)
                is distinct from (t.name, t.name_en, t.parent_code, t.level, t.source))
),
final as (
    select unit_code as item_id, updated_at as changed_at, * from compared
)
select * from final
