-- one row per history day since $since: items per status that day in the viewer's scope, from the daily count marts
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
    from mart_daily_counts as d
    -- the unit marts count everyone's items: staff, who see only their own, get theirs from mart_person_trend.sql
    where $own_person::varchar is null
      and d.snapshot_day >= $since::date
      and d.unit_code in (select unit_code from in_view)
      and ($kind::varchar is null or d.kind = $kind::varchar)
    group by d.snapshot_day
)
select * from final
order by day
