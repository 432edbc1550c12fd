-- one row per recorded change of an item's source record, for an item in the viewer's scope (item found by key)
with in_view as (
    select unit_code from units_in_view($scope, null)
),
item as (
    -- found by the hash of its key: one row group of the item key mart, not a scan of every item light
    select k.kind, k.item_id
    from mart_item_key as k
    where k.key_hash = hash($kind::varchar, $item::varchar)
      and k.kind = $kind::varchar and k.item_id = $item::varchar
      and k.unit_code in (select unit_code from in_view)
),
final as (
    select c.changed_at, c.run_id, c.before::varchar as before, c.after::varchar as after
    from fct_change_history as c
    join item as i on i.kind = c.kind and i.item_id = c.item_id
)
select * from final
order by changed_at desc
limit 50
