-- one row: how many counted items match the worklist filters in the viewer's scope (the pager's total)
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
final as (
    select
        count(*) as total,
        count(*) filter (where status = 'red') as red,
        count(*) filter (where status = 'yellow') as yellow
    from matched
)
select * from final
