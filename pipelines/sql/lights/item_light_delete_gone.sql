-- removes the item lights of items that are no longer tracked at $as_of (deleted at the source, or a replay)
delete from item_light as l
where not exists (select 1 from light_new as n where n.kind = l.kind and n.item_id = l.item_id)
