-- removes every item light that this run changes or no longer tracks (unchanged rows stay as they are)
delete from item_light as l
where not exists (
    select 1 from light_new as n where n.kind = l.kind and n.item_id = l.item_id and not n.changed
)
