-- one row: counted items per status in the viewer's scope, narrowed to a unit subtree and/or kind (count marts)
with in_view as (
    select unit_code from units_in_view($scope, $unit)
),
counts as (
    -- staff see only their own items: their counts come from the person marts, everyone else's from the units'
    select c.red, c.yellow, c.green, c.unknown, c.exempted
    from mart_unit_counts as c
    where $own_person::varchar is null
      and c.unit_code in (select unit_code from in_view)
      and ($kind::varchar is null or c.kind = $kind::varchar)
    union all
    select p.red, p.yellow, p.green, p.unknown, p.exempted
    from mart_person_counts as p
    where p.person_id = $own_person::varchar
      and p.unit_code in (select unit_code from in_view)
      and ($kind::varchar is null or p.kind = $kind::varchar)
),
final as (
    select
        coalesce(sum(red), 0)::bigint as red,
        coalesce(sum(yellow), 0)::bigint as yellow,
        coalesce(sum(green), 0)::bigint as green,
        coalesce(sum(unknown), 0)::bigint as unknown,
        coalesce(sum(exempted), 0)::bigint as exempted,
        coalesce(sum(red + yellow + green + unknown + exempted), 0)::bigint as total
    from counts
)
select * from final
