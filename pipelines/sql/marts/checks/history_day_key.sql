-- one row per snapshot_day that appears more than once in mart_history_day
select snapshot_day, count(*) as copies
from mart_history_day
group by snapshot_day
having count(*) > 1
