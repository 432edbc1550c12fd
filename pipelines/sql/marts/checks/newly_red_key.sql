-- one row per (kind, item_id) that appears more than once in mart_newly_red
select kind, item_id, count(*) as copies
from mart_newly_red
group by kind, item_id
having count(*) > 1
