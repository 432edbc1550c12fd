-- one row per (kind, item_id) that appears more than once in mart_item_key, or whose key hash is not its hash
select kind, item_id, count(*) as copies
from mart_item_key
group by kind, item_id
having count(*) > 1 or bool_or(key_hash <> hash(kind, item_id))
