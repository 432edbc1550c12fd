-- one row: how many items match the worklist filters in the viewer's scope (the pager's total), from the active items mart
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
final as (
    select
        count(*) as total,
        count(*) filter (where status = 'red') as red,
        count(*) filter (where status = 'yellow') as yellow
    from matched
)
select * from final
