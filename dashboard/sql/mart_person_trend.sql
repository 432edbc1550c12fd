-- one row per history day since $since: one person's items per status that day in the viewer's scope (marts)
with in_view as (
    select unit_code from units_in_view($scope, $unit)
),
final as (
    select
        d.snapshot_day as day,
        sum(d.red)::bigint as red,
        sum(d.yellow)::bigint as yellow,
        sum(d.green)::bigint as green,
        sum(d.unknown)::bigint as unknown,
        sum(d.exempted)::bigint as exempted
    from mart_person_daily as d
    -- the person asked for, or the staff member's own items (a staff member asking for another person: nothing)
    where d.person_id = coalesce($person::varchar, $own_person::varchar)
      and ($own_person::varchar is null or d.person_id = $own_person::varchar)
      and d.snapshot_day >= $since::date
      and d.unit_code in (select unit_code from in_view)
    group by d.snapshot_day
)
select * from final
order by day
