-- one row per (kind, item_id) that appears more than once in mart_active_item
select kind, item_id, count(*) as copies
from mart_active_item
group by kind, item_id
having count(*) > 1
