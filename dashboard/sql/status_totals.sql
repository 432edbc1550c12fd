-- one row: counted items per status in the viewer's scope, narrowed to a unit subtree and/or kind when given
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
counted as (
    select i.status
    from item_light as i
    where i.unit_code in (select unit_code from in_view)
      and ($own_person::varchar is null or i.person_id = $own_person::varchar)
      and ($kind::varchar is null or i.kind = $kind::varchar)
      and (i.is_open or i.done_at >= i.as_of - interval 30 day)
),
final as (
    select
        count(*) filter (where status = 'red') as red,
        count(*) filter (where status = 'yellow') as yellow,
        count(*) filter (where status = 'green') as green,
        count(*) filter (where status = 'unknown') as unknown,
        count(*) filter (where status = 'exempted') as exempted,
        count(*) as total
    from counted
)
select * from final
