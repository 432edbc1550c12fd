-- one row per unit, scope (own | subtree) and kind (or 'all'): counts of the counted item lights
create or replace temp table light_unit_counts as
with own as (
    select
        unit_code,
        coalesce(kind, 'all') as kind,
        sum(items) as items,
        coalesce(sum(items) filter (where status = 'red'), 0) as red,
        coalesce(sum(items) filter (where status = 'yellow'), 0) as yellow,
        coalesce(sum(items) filter (where status = 'green'), 0) as green,
        coalesce(sum(items) filter (where status = 'unknown'), 0) as unknown,
        coalesce(sum(items) filter (where status = 'exempted'), 0) as exempted,
        max(escalation_rank) as escalation_rank
    from light_counted
    group by grouping sets ((unit_code, kind), (unit_code))
),
subtree as (
    select
        a.ancestor_code as unit_code, o.kind,
        sum(o.items) as items, sum(o.red) as red, sum(o.yellow) as yellow, sum(o.green) as green,
        sum(o.unknown) as unknown, sum(o.exempted) as exempted, max(o.escalation_rank) as escalation_rank
    from own as o
    join dim_unit_ancestor as a on a.unit_code = o.unit_code
    group by a.ancestor_code, o.kind
),
counts as (
    select 'own' as scope, * from own
    union all by name
    select 'subtree' as scope, * from subtree
),
grid as (
    select u.unit_code, s.scope, k.kind
    from dim_unit as u
    cross join (values ('own'), ('subtree')) as s(scope)
    cross join (values ('all'), ('document'), ('document_step'), ('milestone'), ('request')) as k(kind)
),
final as (
    select
        g.unit_code, g.scope, g.kind,
        coalesce(c.items, 0)::bigint as items,
        coalesce(c.red, 0)::bigint as red,
        coalesce(c.yellow, 0)::bigint as yellow,
        coalesce(c.green, 0)::bigint as green,
        coalesce(c.unknown, 0)::bigint as unknown,
        coalesce(c.exempted, 0)::bigint as exempted,
        coalesce(c.escalation_rank, 0) as escalation_rank
    from grid as g
    left join counts as c on c.unit_code = g.unit_code and c.scope = g.scope and c.kind = g.kind
)
select * from final
