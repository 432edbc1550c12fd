-- one row per (subject_type, subject_id, scope, rate) that appears more than once in rate_light
select subject_type, subject_id, scope, rate, count(*) as copies
from rate_light
group by subject_type, subject_id, scope, rate
having count(*) > 1
