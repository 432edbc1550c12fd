-- one row per unit that a source's create_units rule names and that does not exist yet
insert into dim_unit by name
select
    n.unit_code,
    coalesce(n.name, n.unit_code) as name,
    n.parent_code,
    n.level,
    '/' || n.unit_code || '/' as path,
    $source as source,
    $loaded_at as updated_at
from new_units as n
where not exists (select 1 from dim_unit as d where d.unit_code = n.unit_code)
qualify row_number() over (partition by n.unit_code order by n.level) = 1
