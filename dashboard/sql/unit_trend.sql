-- one row per history day since $since: counted items per status in the viewer's scope, from the daily unit roll-ups
with scope_root as (
    select unit_code, path from dim_unit where unit_code in (select unnest($scope::varchar[]))
),
top_root as (
    -- scope units that lie inside another scope unit are already counted in its subtree
    select r.unit_code
    from scope_root as r
    where not exists (
        select 1 from scope_root as o where o.unit_code <> r.unit_code and starts_with(r.path, o.path)
    )
),
focus as (
    select u.unit_code
    from dim_unit as u
    where u.unit_code = $unit::varchar
      and exists (select 1 from scope_root as s where starts_with(u.path, s.path))
),
roots as (
    select unit_code from focus
    union all
    select unit_code from top_root where $unit::varchar is null
),
final as (
    select
        h.snapshot_day as day,
        sum(h.red)::bigint as red,
        sum(h.yellow)::bigint as yellow,
        sum(h.green)::bigint as green,
        sum(h.unknown)::bigint as unknown,
        sum(h.exempted)::bigint as exempted
    from unit_light_history as h
    where h.scope = 'subtree'
      and h.snapshot_day >= $since::date
      and h.unit_code in (select unit_code from roots)
    group by h.snapshot_day
)
select * from final
order by day
