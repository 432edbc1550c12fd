-- one row per (unit_code, scope, kind) that appears more than once in unit_light
select unit_code, scope, kind, count(*) as copies
from unit_light
group by unit_code, scope, kind
having count(*) > 1
