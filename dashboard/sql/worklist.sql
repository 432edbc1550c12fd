-- one row per item matching the worklist filters, in the viewer's scope, one page at a time (all when $limit is null)
with scope_root as (
    select path from dim_unit where unit_code in (select unnest($scope::varchar[]))
),
focus as (
    select path from dim_unit where unit_code = $unit::varchar
),
in_view as (
    select u.unit_code, u.name, u.name_en, u.path
    from dim_unit as u
    where exists (select 1 from scope_root as s where starts_with(u.path, s.path))
      and ($unit::varchar is null or exists (select 1 from focus as f where starts_with(u.path, f.path)))
),
day_status as (
    -- the status each item had on $day, when the list is about a past day (a click on a trend)
    select h.kind, h.item_id, h.status
    from item_light_history as h
    where h.snapshot_day = $day::date
),
matched as (
    select
        i.kind, i.item_id, i.title, i.category,
        coalesce(d.status, i.status) as status,
        i.unit_code, v.name as unit_name, v.name_en as unit_name_en, v.path as unit_path,
        i.person_id, p.name as person_name,
        i.due_at, i.done_at, i.is_open, i.wd_remaining,
        greatest(coalesce(-i.wd_remaining, 0), 0) as overdue_days,
        i.reason_zh, i.reason_en
    from item_light as i
    join in_view as v on v.unit_code = i.unit_code
    left join dim_person as p on p.person_id = i.person_id
    left join day_status as d on d.kind = i.kind and d.item_id = i.item_id
    where ($own_person::varchar is null or i.person_id = $own_person::varchar)
      and ($person::varchar is null or i.person_id = $person::varchar)
      and ($kind::varchar is null or i.kind = $kind::varchar)
      and ($category::varchar is null or i.category = $category::varchar)
      and ($day::date is null or d.status is not null)
      and (len($statuses::varchar[]) = 0 or coalesce(d.status, i.status) in (select unnest($statuses::varchar[])))
      and (not $open_only::boolean or i.is_open)
      -- the items the lights count: open ones and those closed in the last 30 days (a past day lists its own)
      and ($day::date is not null or i.is_open or i.done_at >= i.as_of - interval 30 day)
      and ($min_overdue::double is null or -i.wd_remaining >= $min_overdue::double)
      and ($due_from::date is null or i.due_at >= $due_from::date)
      and ($due_to::date is null or i.due_at < $due_to::date + 1)
      and ($q::varchar is null
           or contains(lower(i.title), lower($q::varchar))
           or contains(lower(i.item_id), lower($q::varchar))
           or contains(lower(coalesce(p.name, '')), lower($q::varchar)))
),
final as (
    select * from matched
)
select * from final
order by
    case when $sort::varchar = 'overdue' then -coalesce(wd_remaining, 0) end desc nulls last,
    case when $sort::varchar = 'due' then due_at end asc nulls last,
    case when $sort::varchar = 'unit' then unit_path end asc nulls last,
    case when $sort::varchar = 'status' then
        case status when 'red' then 0 when 'yellow' then 1 when 'unknown' then 2 when 'exempted' then 3 else 4 end
    end asc nulls last,
    wd_remaining asc nulls last, kind, item_id
limit $limit::bigint offset $offset::bigint
