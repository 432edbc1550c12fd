-- one row per clock pause (suspension) or approved extension of an item in the viewer's scope (item found by key)
with item as (
    select kind, item_id from item_in_view($scope, $kind, $item)
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
