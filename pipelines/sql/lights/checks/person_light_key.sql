-- one row per (person_id, kind) that appears more than once in person_light
select person_id, kind, count(*) as copies
from person_light
group by person_id, kind
having count(*) > 1
