-- one row per history day of one item in the viewer's scope: the light it had that day
with in_view as (
    select unit_code from units_in_view($scope, null)
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
