-- one row: a person in the viewer's scope, with their unit
with scope_root as (
    select path from dim_unit where unit_code in (select unnest($scope::varchar[]))
),
in_view as (
    select u.unit_code, u.name, u.name_en, u.path
    from dim_unit as u
    where exists (select 1 from scope_root as s where starts_with(u.path, s.path))
),
final as (
    select p.person_id, p.name, p.unit_code, v.name as unit_name, v.name_en as unit_name_en, v.path as unit_path,
           p.job_category, p.difficulty
    from dim_person as p
    join in_view as v on v.unit_code = p.unit_code
    where p.person_id = $person::varchar
      and ($own_person::varchar is null or p.person_id = $own_person::varchar)
)
select * from final
