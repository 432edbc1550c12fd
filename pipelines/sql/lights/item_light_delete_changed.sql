-- removes the item lights that this run changes (they are written again with their new light)
delete from item_light as l
using light_new as n
where n.changed and n.kind = l.kind and n.item_id = l.item_id
