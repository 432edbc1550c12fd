-- one row per history day since $since: one person's items of one kind per status that day in the viewer's scope
-- (from item history: the daily person marts do not split a person's items by kind)
with in_view as (
    select unit_code from units_in_view($scope, $unit)
),
per_status as (
    -- count per day and status first; spreading the statuses into columns afterwards is cheaper
    select h.snapshot_day, h.status, count(*) as items
    from item_light_history as h
    -- the person asked for, or the staff member's own items (a staff member asking for another person: nothing)
    where h.person_id = coalesce($person::varchar, $own_person::varchar)
      and ($own_person::varchar is null or h.person_id = $own_person::varchar)
      and h.kind = $kind::varchar
      and h.snapshot_day >= $since::date
      and h.unit_code in (select unit_code from in_view)
    group by h.snapshot_day, h.status
),
final as (
    select
        snapshot_day as day,
        coalesce(sum(items) filter (where status = 'red'), 0)::bigint as red,
        coalesce(sum(items) filter (where status = 'yellow'), 0)::bigint as yellow,
        coalesce(sum(items) filter (where status = 'green'), 0)::bigint as green,
        coalesce(sum(items) filter (where status = 'unknown'), 0)::bigint as unknown,
        coalesce(sum(items) filter (where status = 'exempted'), 0)::bigint as exempted
    from per_status
    group by snapshot_day
)
select * from final
order by day
