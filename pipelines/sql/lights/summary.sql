-- one row per kind and status of this run's item lights, with their count
select kind, status, count(*) as items
from light_new
group by kind, status
order by kind, status
