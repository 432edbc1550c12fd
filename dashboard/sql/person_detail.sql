-- one row: a person in the viewer's scope, with their unit
with in_view as (
    select unit_code, name, name_en, path from units_in_view($scope, null)
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
