-- one row per person with counted items, and kind (or 'all'): the rolled-up light of their items
insert into person_light by name
with counts as (
    select
        person_id,
        coalesce(kind, 'all') as kind,
        min(unit_code) as item_unit,
        sum(items) as items,
        coalesce(sum(items) filter (where status = 'red'), 0) as red,
        coalesce(sum(items) filter (where status = 'yellow'), 0) as yellow,
        coalesce(sum(items) filter (where status = 'green'), 0) as green,
        coalesce(sum(items) filter (where status = 'unknown'), 0) as unknown,
        coalesce(sum(items) filter (where status = 'exempted'), 0) as exempted,
        max(escalation_rank) as escalation_rank
    from light_counted
    where person_id is not null
    group by grouping sets ((person_id, kind), (person_id))
),
final as (
    select
        c.person_id,
        coalesce(p.unit_code, c.item_unit) as unit_code,
        c.kind,
        rollup_light(c.red, c.yellow, c.green, c.unknown, $rollup_method, $rollup_red_share, $rollup_yellow_share,
                     $rollup_unknown_share) as light,
        c.items, c.red, c.yellow, c.green, c.unknown, c.exempted,
        c.red / nullif(c.red + c.yellow + c.green + c.unknown, 0) as red_share,
        case c.escalation_rank when 3 then 'red' when 2 then 'orange' when 1 then 'blue' else 'none' end
            as worst_escalation
    from counts as c
    left join dim_person as p on p.person_id = c.person_id
)
select
    person_id, unit_code, kind, light.s as status, light.c as reason_code,
    items, red, yellow, green, unknown, exempted, red_share, worst_escalation,
    $as_of as as_of, $rule_version as rule_version, $run_id as run_id
from final
