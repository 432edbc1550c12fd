-- one row per unit the viewer may see: every unit in the subtree of a unit of the viewer's scope (a list of unit
-- codes), narrowed to the subtree of `unit` when it is not null (a unit outside the scope narrows to its part of it,
-- a unit that does not exist to nothing). The scope is the security boundary: every dashboard query reads its units
-- through this one macro, which db.py creates on each connection it opens (a temporary macro: no write to the file).
create or replace temp macro units_in_view(scope, unit) as table
with scope_root as (
    select path from dim_unit where unit_code in (select unnest(scope::varchar[]))
),
focus as (
    select path from dim_unit where unit_code = unit::varchar
),
final as (
    select u.*
    from dim_unit as u
    where exists (select 1 from scope_root as s where starts_with(u.path, s.path))
      and (unit::varchar is null or exists (select 1 from focus as f where starts_with(u.path, f.path)))
)
select * from final
