-- one row per counted item matching the worklist filters in the viewer's scope, a page at a time (all: no $limit)
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
matched as (
    -- the items the lights count now (open, or closed in the last 30 days); only what filters and sorts is read here,
    -- the rest of a row only for the rows of the page
    select a.rowid as row_id, a.kind, a.item_id, a.status, a.unit_path, a.due_at, a.wd_remaining
    from mart_active_item as a
    join in_view as v on v.unit_code = a.unit_code
    where (len($statuses::varchar[]) = 0 or list_contains($statuses::varchar[], a.status))
      and ($own_person::varchar is null or a.person_id = $own_person::varchar)
      and ($person::varchar is null or a.person_id = $person::varchar)
      and ($kind::varchar is null or a.kind = $kind::varchar)
      and ($category::varchar is null or a.category = $category::varchar)
      and (not $open_only::boolean or a.is_open)
      and ($min_overdue::double is null or -a.wd_remaining >= $min_overdue::double)
      and ($due_from::date is null or a.due_at >= $due_from::date)
      and ($due_to::date is null or a.due_at < $due_to::date + 1)
      -- titles and names are Chinese (no case); ids as typed, in capitals or in small letters (lowering every
      -- id would cost more than the rest of the list; a search without letters skips those two)
      and ($q::varchar is null
           or contains(a.title, $q::varchar)
           or contains(a.person_name, $q::varchar)
           or contains(a.item_id, $q::varchar)
           or (upper($q::varchar) <> $q::varchar and contains(a.item_id, upper($q::varchar)))
           or (lower($q::varchar) <> $q::varchar and contains(a.item_id, lower($q::varchar))))
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
    -- the whole row, and the unit's names, only for the rows of the page
    select
        a.kind, a.item_id, a.title, a.category, a.status, a.unit_code, u.name as unit_name, u.name_en as unit_name_en,
        a.unit_path, a.person_id, a.person_name, a.due_at, a.done_at, a.is_open, a.wd_remaining,
        greatest(coalesce(-a.wd_remaining, 0), 0) as overdue_days, a.reason_zh, a.reason_en,
        p.key_overdue, p.key_due, p.key_unit, p.key_status
    from page as p
    join mart_active_item as a on a.rowid = p.row_id
    join dim_unit as u on u.unit_code = a.unit_code
)
select * exclude (key_overdue, key_due, key_unit, key_status)
from final
order by key_overdue desc nulls last, key_due asc nulls last, key_unit asc nulls last, key_status asc nulls last,
         wd_remaining asc nulls last, kind, item_id
