-- one row per unit in the viewer's scope (narrowed to a unit subtree when given): subtree counts, light, on-time rate
with in_view as (
    select unit_code, name, name_en, parent_code, level, path from units_in_view($scope, $unit)
),
counts as (
    -- staff see only their own items: their counts come from the person marts, everyone else's from the units'
    select c.unit_code, c.red, c.yellow, c.green, c.unknown, c.exempted, c.overdue_open, c.due_count, c.on_time_count
    from mart_unit_counts as c
    where $own_person::varchar is null
      and c.unit_code in (select unit_code from in_view)
      and ($kind::varchar is null or c.kind = $kind::varchar)
    union all
    select p.unit_code, p.red, p.yellow, p.green, p.unknown, p.exempted, p.overdue_open, p.due_count, p.on_time_count
    from mart_person_counts as p
    where p.person_id = $own_person::varchar
      and p.unit_code in (select unit_code from in_view)
      and ($kind::varchar is null or p.kind = $kind::varchar)
),
own as (
    select
        unit_code,
        sum(red) as red, sum(yellow) as yellow, sum(green) as green, sum(unknown) as unknown,
        sum(exempted) as exempted, sum(overdue_open) as overdue_open, sum(due_count) as due_count,
        sum(on_time_count) as on_time_count
    from counts
    group by unit_code
),
subtree as (
    select
        a.ancestor_code as unit_code,
        sum(o.red) as red, sum(o.yellow) as yellow, sum(o.green) as green,
        sum(o.unknown) as unknown, sum(o.exempted) as exempted, sum(o.overdue_open) as overdue_open,
        sum(o.due_count) as due_count, sum(o.on_time_count) as on_time_count
    from own as o
    join dim_unit_ancestor as a on a.unit_code = o.unit_code
    group by a.ancestor_code
),
counts_in_view as (
    select
        v.unit_code, v.name, v.name_en, v.parent_code, v.level, v.path,
        coalesce(s.red, 0)::bigint as red,
        coalesce(s.yellow, 0)::bigint as yellow,
        coalesce(s.green, 0)::bigint as green,
        coalesce(s.unknown, 0)::bigint as unknown,
        coalesce(s.exempted, 0)::bigint as exempted,
        coalesce(s.overdue_open, 0)::bigint as overdue_open,
        coalesce(s.due_count, 0)::bigint as due_count,
        coalesce(s.on_time_count, 0)::bigint as on_time_count
    from in_view as v
    left join subtree as s on s.unit_code = v.unit_code
),
final as (
    select
        *,
        red + yellow + green + unknown as total,
        case
            when red + yellow + green + unknown = 0 then 'unknown'
            when red >= $red_share::double * (red + yellow + green + unknown) then 'red'
            when red > 0 or yellow >= $yellow_share::double * (red + yellow + green + unknown) then 'yellow'
            when unknown * 2 >= red + yellow + green + unknown then 'unknown'
            else 'green'
        end as light,
        case when due_count > 0 then on_time_count / due_count end as on_time_rate
    from counts_in_view
)
select * from final
order by path
