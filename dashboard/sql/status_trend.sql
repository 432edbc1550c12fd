-- one row per history day since $since: items per status that day in the viewer's scope
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
history as (
    select h.snapshot_day, h.status
    from item_light_history as h
    where h.snapshot_day >= $since::date
      and h.unit_code in (select unit_code from in_view)
      and ($own_person::varchar is null or h.person_id = $own_person::varchar)
      and ($person::varchar is null or h.person_id = $person::varchar)
      and ($kind::varchar is null or h.kind = $kind::varchar)
),
final as (
    select
        snapshot_day as day,
        count(*) filter (where status = 'red') as red,
        count(*) filter (where status = 'yellow') as yellow,
        count(*) filter (where status = 'green') as green,
        count(*) filter (where status = 'unknown') as unknown,
        count(*) filter (where status = 'exempted') as exempted
    from history
    group by snapshot_day
)
select * from final
order by day
