-- one row per item matching the worklist filters, in the viewer's scope, one page at a time (all when $limit is null)
with scope_root as (
    select path from dim_unit where unit_code in (select unnest($scope::varchar[]))
),
focus as (
    select path from dim_unit where unit_code = $unit::varchar
),
in_view as (
    select u.unit_code, u.path
    from dim_unit as u
    where exists (select 1 from scope_root as s where starts_with(u.path, s.path))
      and ($unit::varchar is null or exists (select 1 from focus as f where starts_with(u.path, f.path)))
),
named as (
    -- people whose name matches the search: a small set, instead of joining every item to its person first
    select person_id from dim_person where $q::varchar is not null and contains(name, $q::varchar)
),
current_items as (
    -- the items the lights count now (open, or closed in the last 30 days): the active items mart, joined on the
    -- unit path so that the scan reads only the row groups of the scope (the mart lies in path order)
    select
        a.kind, a.item_id, a.title, a.category, a.status, a.unit_code, a.person_id, a.due_at, a.done_at, a.is_open,
        a.wd_remaining, a.reason_zh, a.reason_en, a.unit_path
    from mart_active_item as a
    join in_view as v on v.path = a.unit_path
    where $day::date is null
      and (len($statuses::varchar[]) = 0 or list_contains($statuses::varchar[], a.status))
),
past_items as (
    -- a list about a past day (a click on a trend): the items of that day with the status they had then
    select
        i.kind, i.item_id, i.title, i.category, h.status, i.unit_code, i.person_id, i.due_at, i.done_at, i.is_open,
        i.wd_remaining, i.reason_zh, i.reason_en, v.path as unit_path
    from item_light_history as h
    join item_light as i on i.kind = h.kind and i.item_id = h.item_id
    join in_view as v on v.unit_code = i.unit_code
    where $day::date is not null
      and h.snapshot_day = $day::date
      and (len($statuses::varchar[]) = 0 or list_contains($statuses::varchar[], h.status))
),
candidates as (
    -- one branch is empty, so the common case never joins the history
    select * from current_items
    union all
    select * from past_items
),
matched as (
    select c.*
    from candidates as c
    where ($own_person::varchar is null or c.person_id = $own_person::varchar)
      and ($person::varchar is null or c.person_id = $person::varchar)
      and ($kind::varchar is null or c.kind = $kind::varchar)
      and ($category::varchar is null or c.category = $category::varchar)
      and (not $open_only::boolean or c.is_open)
      and ($min_overdue::double is null or -c.wd_remaining >= $min_overdue::double)
      and ($due_from::date is null or c.due_at >= $due_from::date)
      and ($due_to::date is null or c.due_at < $due_to::date + 1)
      -- titles and names are Chinese (no case); ids as typed, in capitals or in small letters (lowering every
      -- id would cost more than the rest of the list)
      and ($q::varchar is null
           or contains(c.title, $q::varchar)
           or contains(c.item_id, $q::varchar)
           or contains(c.item_id, upper($q::varchar))
           or contains(c.item_id, lower($q::varchar))
           or c.person_id in (select person_id from named))
),
ordered as (
    select
        *,
        case when $sort::varchar = 'overdue' then -coalesce(wd_remaining, 0) end as key_overdue,
        case when $sort::varchar = 'due' then due_at end as key_due,
        case when $sort::varchar = 'unit' then unit_path end as key_unit,
        case when $sort::varchar = 'status' then
            case status when 'red' then 0 when 'yellow' then 1 when 'unknown' then 2 when 'exempted' then 3 else 4 end
        end as key_status
    from matched
),
page as (
    select * from ordered
    order by key_overdue desc nulls last, key_due asc nulls last, key_unit asc nulls last, key_status asc nulls last,
             wd_remaining asc nulls last, kind, item_id
    limit $limit::bigint offset $offset::bigint
),
final as (
    -- names only for the rows of the page
    select
        p.kind, p.item_id, p.title, p.category, p.status, p.unit_code, u.name as unit_name, u.name_en as unit_name_en,
        p.unit_path, p.person_id, n.name as person_name, p.due_at, p.done_at, p.is_open, p.wd_remaining,
        greatest(coalesce(-p.wd_remaining, 0), 0) as overdue_days, p.reason_zh, p.reason_en,
        p.key_overdue, p.key_due, p.key_unit, p.key_status
    from page as p
    join dim_unit as u on u.unit_code = p.unit_code
    left join dim_person as n on n.person_id = p.person_id
)
select * exclude (key_overdue, key_due, key_unit, key_status)
from final
order by key_overdue desc nulls last, key_due asc nulls last, key_unit asc nulls last, key_status asc nulls last,
         wd_remaining asc nulls last, kind, item_id
