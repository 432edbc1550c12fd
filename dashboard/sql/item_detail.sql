-- one row: the item's light and why, with its unit and person, when the item is in the viewer's scope
with in_view as (
    select unit_code, name, name_en, path from units_in_view($scope, null)
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
