-- one row per item matching the worklist filters in the viewer's scope, a page at a time (all: no $limit), each with
-- the totals of the whole list (the pager's); a page without items is one row of totals alone, with null items
with in_view as (
    select unit_code from units_in_view($scope, $unit)
),
current_items as (
    -- the items the lights count now (open, or closed in the last 30 days); only what filters and sorts is read
    -- here, the rest of a row only for the rows of the page
    select
        a.rowid as row_id, a.kind, a.item_id, a.title, a.category, a.status, a.unit_code,
        a.unit_path, a.person_id, a.person_name, a.due_at, a.is_open, a.wd_remaining
    from mart_active_item as a
    where $day::date is null
      and (len($statuses::varchar[]) = 0 or list_contains($statuses::varchar[], a.status))
),
past_items as (
    -- a list about a past day (a click on a trend): the items of that day with the status they had then
    select
        i.rowid as row_id, i.kind, i.item_id, i.title, i.category, h.status, i.unit_code,
        u.path as unit_path, i.person_id, p.name as person_name, i.due_at, i.is_open, i.wd_remaining
    from item_light_history as h
    join item_light as i on i.kind = h.kind and i.item_id = h.item_id
    join dim_unit as u on u.unit_code = i.unit_code
    left join dim_person as p on p.person_id = i.person_id
    where $day::date is not null
      and h.snapshot_day = $day::date
      and (len($statuses::varchar[]) = 0 or list_contains($statuses::varchar[], h.status))
),
candidates as (
    -- one branch is empty: its condition on $day is false once the parameters are bound, and the planner drops it,
    -- so the list of now never reads the history (nor a list of a past day the active items)
    select * from current_items
    union all
    select * from past_items
),
matched as (
    select c.row_id, c.kind, c.item_id, c.status, c.unit_path, c.due_at, c.wd_remaining
    from candidates as c
    join in_view as v on v.unit_code = c.unit_code
    where ($own_person::varchar is null or c.person_id = $own_person::varchar)
      and ($person::varchar is null or c.person_id = $person::varchar)
      and ($kind::varchar is null or c.kind = $kind::varchar)
      and ($category::varchar is null or c.category = $category::varchar)
      and (not $open_only::boolean or c.is_open)
      and ($min_overdue::double is null or -c.wd_remaining >= $min_overdue::double)
      and ($due_from::date is null or c.due_at >= $due_from::date)
      and ($due_to::date is null or c.due_at < $due_to::date + 1)
      -- titles and names are Chinese (no case); ids as typed, in capitals or in small letters (lowering every
      -- id would cost more than the rest of the list; a search without letters skips those two)
      and ($q::varchar is null
           or contains(c.title, $q::varchar)
           or contains(c.person_name, $q::varchar)
           or contains(c.item_id, $q::varchar)
           or (upper($q::varchar) <> $q::varchar and contains(c.item_id, upper($q::varchar)))
           or (lower($q::varchar) <> $q::varchar and contains(c.item_id, lower($q::varchar))))
),
totals as (
    -- the pager's counts, from the same matched rows as the page
    select
        count(*) as total,
        count(*) filter (where status = 'red') as total_red,
        count(*) filter (where status = 'yellow') as total_yellow
    from matched
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
page_rows as (
    -- the whole row only for the rows of the page, from where each came (as above, one branch is empty)
    select
        p.kind, p.item_id, a.title, a.category, p.status, a.unit_code, p.unit_path, a.person_id, a.person_name,
        p.due_at, a.done_at, a.is_open, p.wd_remaining, a.reason_zh, a.reason_en, p.key_overdue, p.key_due,
        p.key_unit, p.key_status
    from page as p
    join mart_active_item as a on a.rowid = p.row_id
    where $day::date is null
    union all
    select
        p.kind, p.item_id, i.title, i.category, p.status, i.unit_code, p.unit_path, i.person_id,
        n.name as person_name, p.due_at, i.done_at, i.is_open, p.wd_remaining, i.reason_zh, i.reason_en,
        p.key_overdue, p.key_due, p.key_unit, p.key_status
    from page as p
    join item_light as i on i.rowid = p.row_id
    left join dim_person as n on n.person_id = i.person_id
    where $day::date is not null
),
final as (
    select
        r.kind, r.item_id, r.title, r.category, r.status, r.unit_code, u.name as unit_name, u.name_en as unit_name_en,
        r.unit_path, r.person_id, r.person_name, r.due_at, r.done_at, r.is_open, r.wd_remaining,
        greatest(coalesce(-r.wd_remaining, 0), 0) as overdue_days, r.reason_zh, r.reason_en,
        r.key_overdue, r.key_due, r.key_unit, r.key_status
    from page_rows as r
    join dim_unit as u on u.unit_code = r.unit_code
)
select f.* exclude (key_overdue, key_due, key_unit, key_status), t.total, t.total_red, t.total_yellow
from totals as t
left join final as f on true
order by f.key_overdue desc nulls last, f.key_due asc nulls last, f.key_unit asc nulls last,
         f.key_status asc nulls last, f.wd_remaining asc nulls last, f.kind, f.item_id
