-- one row per (kind, category) among items in the viewer's scope, with how many items have it (unit count marts)
with scope_root as (
    select path from dim_unit where unit_code in (select unnest($scope::varchar[]))
),
in_view as (
    select u.unit_code
    from dim_unit as u
    where exists (select 1 from scope_root as s where starts_with(u.path, s.path))
),
final as (
    select c.kind, c.category, sum(c.items)::bigint as items
    from mart_unit_counts as c
    -- the unit marts count everyone's items: staff, who see only their own, get theirs from filter_options.sql
    where $own_person::varchar is null
      and c.unit_code in (select unit_code from in_view)
    group by c.kind, c.category
)
select * from final
order by kind, items desc, category
