-- one row per history day of one item in the viewer's scope: the light it had that day
with scope_root as (
    select path from dim_unit where unit_code in (select unnest($scope::varchar[]))
),
in_view as (
    select u.unit_code
    from dim_unit as u
    where exists (select 1 from scope_root as s where starts_with(u.path, s.path))
),
final as (
    select h.snapshot_day as day, h.status, h.rule_version, h.unit_code, h.person_id
    from item_light_history as h
    where h.kind = $kind::varchar
      and h.item_id = $item::varchar
      and h.unit_code in (select unit_code from in_view)
      and ($own_person::varchar is null or h.person_id = $own_person::varchar)
)
select * from final
order by day
