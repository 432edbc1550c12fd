-- one row per (snapshot_day, kind, item_id) that appears more than once in item_light_history
select snapshot_day, kind, item_id, count(*) as copies
from item_light_history
group by snapshot_day, kind, item_id
having count(*) > 1
