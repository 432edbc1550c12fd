-- one row per (person_id, unit_code, kind) that appears more than once in mart_person_counts
select person_id, unit_code, kind, count(*) as copies
from mart_person_counts
group by person_id, unit_code, kind
having count(*) > 1
