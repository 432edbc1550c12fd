-- one row per item red now that was not red on the latest history day before the lights' as-of day (with the total)
with scope_root as (
    select path from dim_unit where unit_code in (select unnest($scope::varchar[]))
),
focus as (
    select path from dim_unit where unit_code = $unit::varchar
),
in_view as (
    select u.unit_code
    from dim_unit as u
    where exists (select 1 from scope_root as s where starts_with(u.path, s.path))
      and ($unit::varchar is null or exists (select 1 from focus as f where starts_with(u.path, f.path)))
),
previous_day as (
    -- without an earlier history day there is nothing to compare with, so nothing is "newly" red
    select max(snapshot_day) as day
    from item_light_history
    where snapshot_day < (select cast(max(as_of) as date) from item_light)
),
red_before as (
    select h.kind, h.item_id
    from item_light_history as h
    where h.snapshot_day = (select day from previous_day) and h.status = 'red'
),
newly as (
    select i.kind, i.item_id, i.title, i.category, i.unit_code, i.person_id, i.wd_remaining, i.due_at,
           i.reason_zh, i.reason_en
    from item_light as i
    where i.status = 'red'
      and i.unit_code in (select unit_code from in_view)
      and ($own_person::varchar is null or i.person_id = $own_person::varchar)
      and ($kind::varchar is null or i.kind = $kind::varchar)
      and (select day from previous_day) is not null
      and not exists (select 1 from red_before as b where b.kind = i.kind and b.item_id = i.item_id)
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
