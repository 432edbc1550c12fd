-- one row per item red now that was not red on the latest history day before the lights' as-of day (with the total)
with in_view as (
    select unit_code from units_in_view($scope, $unit)
),
newly as (
    select n.kind, n.item_id, n.title, n.category, n.unit_code, n.person_id, n.wd_remaining, n.due_at,
           n.reason_zh, n.reason_en
    from mart_newly_red as n
    join in_view as v on v.unit_code = n.unit_code
    where ($own_person::varchar is null or n.person_id = $own_person::varchar)
      and ($kind::varchar is null or n.kind = $kind::varchar)
),
worst as (
    select *, count(*) over () as total
    from newly
    order by wd_remaining asc nulls last, kind, item_id
    limit $limit::bigint
),
final as (
    -- names only for the rows shown
    select w.kind, w.item_id, w.title, w.category, w.unit_code, u.name as unit_name, u.name_en as unit_name_en,
           w.reason_zh, w.reason_en, w.person_id, p.name as person_name, w.wd_remaining, w.due_at, w.total
    from worst as w
    join dim_unit as u on u.unit_code = w.unit_code
    left join dim_person as p on p.person_id = w.person_id
)
select * from final
order by wd_remaining asc nulls last, kind, item_id
