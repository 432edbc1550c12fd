-- one row per valid person record that is new, or newer than and different from what we hold
create or replace temp table chg_batch as
with incoming as (
    select
        person_id, name, unit_code, job_category, coalesce(difficulty, 1.0) as difficulty,
        $source as source,
        coalesce(updated_at, $loaded_at) as updated_at,
        updated_at is null as undated
    from stg_batch
    where reason_code is null
),
compared as (
    select
        n.* exclude (undated),
        t.person_id is null as is_new,
        case when t.person_id is not null then to_json(t) end as before,
        case when t.person_id is not null then to_json(n) end as after
    from incoming as n
    left join dim_person as t on t.person_id = n.person_id
    where t.person_id is null
        or ((n.undated or n.updated_at >= t.updated_at)
            and (n.name, n.unit_code, n.job_category, n.difficulty, n.source)
                is distinct from (t.name, t.unit_code, t.job_category, t.difficulty, t.source))
),
final as (
    select person_id as item_id, updated_at as changed_at, * from compared
)
select * from final
