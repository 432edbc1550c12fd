-- one row per (kind, item_id) that appears more than once in item_light
select kind, item_id, count(*) as copies
from item_light
group by kind, item_id
having count(*) > 1
