-- one row per (kind, category) among items in the viewer's scope, with how many items have it
with scope_root as (
    select path from dim_unit where unit_code in (select unnest($scope::varchar[]))
),
in_view as (
    select u.unit_code
    from dim_unit as u
    where exists (select 1 from scope_root as s where starts_with(u.path, s.path))
),
final as (
    select i.kind, i.category, count(*) as items
    from item_light as i
    where i.unit_code in (select unit_code from in_view)
      and ($own_person::varchar is null or i.person_id = $own_person::varchar)
    group by i.kind, i.category
)
select * from final
order by kind, items desc, category
