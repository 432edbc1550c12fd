-- one row: how many items match the worklist filters in the viewer's scope (the pager's total)
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
named as (
    select person_id from dim_person where $q::varchar is not null and contains(name, $q::varchar)
),
day_status as (
    select h.kind, h.item_id, h.status
    from item_light_history as h
    where h.snapshot_day = $day::date
),
matched as (
    select coalesce(d.status, i.status) as status
    from item_light as i
    left join day_status as d on d.kind = i.kind and d.item_id = i.item_id
    where i.unit_code in (select unit_code from in_view)
      and ($own_person::varchar is null or i.person_id = $own_person::varchar)
      and ($person::varchar is null or i.person_id = $person::varchar)
      and ($kind::varchar is null or i.kind = $kind::varchar)
      and ($category::varchar is null or i.category = $category::varchar)
      and ($day::date is null or d.status is not null)
      and (len($statuses::varchar[]) = 0 or coalesce(d.status, i.status) in (select unnest($statuses::varchar[])))
      and (not $open_only::boolean or i.is_open)
      and ($day::date is not null or i.is_open or i.done_at >= i.as_of - interval 30 day)
      and ($min_overdue::double is null or -i.wd_remaining >= $min_overdue::double)
      and ($due_from::date is null or i.due_at >= $due_from::date)
      and ($due_to::date is null or i.due_at < $due_to::date + 1)
      and ($q::varchar is null
           or contains(i.title, $q::varchar)
           or contains(lower(i.item_id), lower($q::varchar))
           or i.person_id in (select person_id from named))
),
final as (
    select
        count(*) as total,
        count(*) filter (where status = 'red') as red,
        count(*) filter (where status = 'yellow') as yellow
    from matched
)
select * from final
