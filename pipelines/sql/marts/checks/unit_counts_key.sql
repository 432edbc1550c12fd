-- one row per (unit_code, kind, category) that appears more than once in mart_unit_counts
select unit_code, kind, category, count(*) as copies
from mart_unit_counts
group by unit_code, kind, category
having count(*) > 1
