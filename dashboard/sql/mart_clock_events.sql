-- one row per clock pause (suspension) or approved extension of an item in the viewer's scope (item found by key)
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
    select 'suspension' as event, s.started_at as event_at, s.ended_at as until, null::timestamptz as new_due_at,
           s.reason, s.source
    from fct_suspension as s
    join item as i on i.kind = s.kind and i.item_id = s.item_id
    union all
    select 'extension' as event, e.approved_at as event_at, null::timestamptz as until, e.new_due_at, e.reason, e.source
    from fct_extension as e
    join item as i on i.kind = e.kind and i.item_id = e.item_id
)
select * from final
order by event_at
