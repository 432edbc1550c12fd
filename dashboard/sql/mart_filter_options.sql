-- one row per (kind, category) among items in the viewer's scope, with how many items have it (unit count marts)
with in_view as (
    select unit_code from units_in_view($scope, null)
),
choices as (
    -- every item light of the units in view, counted or not
    select c.kind, c.category, c.items
    from mart_unit_counts as c
    where $own_person::varchar is null
      and c.unit_code in (select unit_code from in_view)
    union all
    -- the unit marts count everyone's items: staff, who see only their own, choose among their counted items
    -- (those the worklist lists)
    select a.kind, a.category, 1 as items
    from mart_active_item as a
    where a.person_id = $own_person::varchar
      and a.unit_code in (select unit_code from in_view)
),
final as (
    select kind, category, sum(items)::bigint as items
    from choices
    group by kind, category
)
select * from final
order by kind, items desc, category
