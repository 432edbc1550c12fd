-- one row per newly red item that is not among the counted red items (the active items): "newly red" must be a part
-- of the red count shown beside it
select n.kind, n.item_id, n.unit_code
from mart_newly_red as n
where not exists (
    select 1
    from mart_active_item as a
    where a.kind = n.kind and a.item_id = n.item_id and a.status = 'red'
)
