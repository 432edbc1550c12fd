-- one row: the item's light and why, with its unit and person, when the item is in the viewer's scope
with scope_root as (
    select path from dim_unit where unit_code in (select unnest($scope::varchar[]))
),
in_view as (
    select u.unit_code, u.name, u.name_en, u.path
    from dim_unit as u
    where exists (select 1 from scope_root as s where starts_with(u.path, s.path))
),
final as (
    select
        i.*,
        v.name as unit_name, v.name_en as unit_name_en, v.path as unit_path,
        p.name as person_name, p.job_category
    from item_light as i
    join in_view as v on v.unit_code = i.unit_code
    left join dim_person as p on p.person_id = i.person_id
    where i.kind = $kind::varchar
      and i.item_id = $item::varchar
      and ($own_person::varchar is null or i.person_id = $own_person::varchar)
)
select * from final
