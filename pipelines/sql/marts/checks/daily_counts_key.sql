-- one row per (snapshot_day, unit_code, kind) that appears more than once in mart_daily_counts
select snapshot_day, unit_code, kind, count(*) as copies
from mart_daily_counts
group by snapshot_day, unit_code, kind
having count(*) > 1
