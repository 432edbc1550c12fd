-- one row per unit whose path or level from the root differs from what it should be
update dim_unit as d
set path = p.path, level = case when d.level > 0 then d.level else p.depth end
from (
    with recursive walk(unit_code, path, depth) as (
        select unit_code, '/' || unit_code || '/', 1
        from dim_unit
        where parent_code is null or parent_code not in (select unit_code from dim_unit)
        union all
        select c.unit_code, w.path || c.unit_code || '/', w.depth + 1
        from dim_unit as c
        join walk as w on c.parent_code = w.unit_code
        where w.depth < 32
    )
    select unit_code, min(path) as path, min(depth) as depth from walk group by unit_code
) as p
where p.unit_code = d.unit_code and (d.path <> p.path or d.level <= 0)
