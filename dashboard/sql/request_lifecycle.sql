-- one row: the citizen request behind an item in the viewer's scope, with every time on its way
with in_view as (
    select unit_code from units_in_view($scope, null)
),
final as (
    select
        r.request_id, r.category, r.title, r.unit_code, r.person_id, r.received_at, r.dispatched_at,
        r.first_response_at, r.closed_at, r.due_at, r.limit_days, r.satisfaction, r.reopened_count,
        r.status, r.source, r.updated_at
    from fct_request as r
    where r.request_id = $item::varchar
      and r.unit_code in (select unit_code from in_view)
)
select * from final
