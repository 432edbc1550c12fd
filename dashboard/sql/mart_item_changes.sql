-- one row per recorded change of an item's source record, for an item in the viewer's scope (item found by key)
with item as (
    select kind, item_id from item_in_view($scope, $kind, $item)
),
final as (
    select c.changed_at, c.run_id, c.before::varchar as before, c.after::varchar as after
    from fct_change_history as c
    join item as i on i.kind = c.kind and i.item_id = c.item_id
)
select * from final
order by changed_at desc
limit 50
