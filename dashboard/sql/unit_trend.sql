-- one row per history day since $since: counted items per status in the viewer's scope, from the daily unit roll-ups
with scope_root as (
    select unit_code, path from dim_unit where unit_code in (select unnest($scope::varchar[]))
),
top_root as (
    -- scope units that lie inside another scope unit are already counted in its subtree
    select r.unit_code, r.path
    from scope_root as r
    where not exists (
        select 1 from scope_root as o where o.unit_code <> r.unit_code and starts_with(r.path, o.path)
    )
),
focus as (
    select unit_code, path from dim_unit where unit_code = $unit::varchar
),
roots as (
    -- the subtrees that make up the scope narrowed to $unit: the unit itself when it lies in the scope, else the
    -- scope's units that lie in it (a unit above the scope shows the scope, as every other query does)
    select f.unit_code
    from focus as f
    where exists (select 1 from scope_root as s where starts_with(f.path, s.path))
    union
    select t.unit_code
    from top_root as t
    where $unit::varchar is null
       or exists (select 1 from focus as f where starts_with(t.path, f.path))
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
