-- one row per person with counted items in the viewer's scope (narrowed to a unit subtree when given): person marts
with in_view as (
    select unit_code from units_in_view($scope, $unit)
),
per_person as (
    select
        p.person_id,
        sum(p.red)::bigint as red, sum(p.yellow)::bigint as yellow, sum(p.green)::bigint as green,
        sum(p.unknown)::bigint as unknown, sum(p.exempted)::bigint as exempted,
        coalesce(max(p.max_overdue_days), 0) as max_overdue_days
    from mart_person_counts as p
    join in_view as v on v.unit_code = p.unit_code
    where ($own_person::varchar is null or p.person_id = $own_person::varchar)
      and ($kind::varchar is null or p.kind = $kind::varchar)
    group by p.person_id
),
final as (
    select
        p.person_id, coalesce(d.name, p.person_id) as person_name, d.unit_code, u.name as unit_name,
        u.name_en as unit_name_en, d.job_category,
        p.red, p.yellow, p.green, p.unknown, p.exempted, p.max_overdue_days,
        p.red + p.yellow + p.green + p.unknown as total,
        case
            when p.red + p.yellow + p.green + p.unknown = 0 then 'unknown'
            when p.red >= $red_share::double * (p.red + p.yellow + p.green + p.unknown) then 'red'
            when p.red > 0 or p.yellow >= $yellow_share::double * (p.red + p.yellow + p.green + p.unknown) then 'yellow'
            when p.unknown * 2 >= p.red + p.yellow + p.green + p.unknown then 'unknown'
            else 'green'
        end as light
    from per_person as p
    left join dim_person as d on d.person_id = p.person_id
    left join dim_unit as u on u.unit_code = d.unit_code
)
select * from final
order by case light when 'red' then 0 when 'yellow' then 1 when 'unknown' then 2 else 3 end,
         red desc, yellow desc, person_id
limit $limit::bigint
