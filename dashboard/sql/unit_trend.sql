-- one row per history day since $since: counted items per status in the viewer's scope, from the daily unit roll-ups
with in_view as (
    select unit_code from units_in_view($scope, $unit)
),
roots as (
    -- the subtrees that make up the units in view: those without an ancestor in view (a unit inside another unit
    -- of the scope is already counted in that one's subtree roll-up, which sums by the same ancestors)
    select v.unit_code
    from in_view as v
    where not exists (
        select 1
        from dim_unit_ancestor as a
        join in_view as o on o.unit_code = a.ancestor_code
        where a.unit_code = v.unit_code and a.depth > 0
    )
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
