-- one row per (snapshot_day, person_id, unit_code) that appears more than once in mart_person_daily
select snapshot_day, person_id, unit_code, count(*) as copies
from mart_person_daily
group by snapshot_day, person_id, unit_code
having count(*) > 1
