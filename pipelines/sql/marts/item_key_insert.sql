-- one row per item light, the whole mart written again in the order of the hash of each item's key
insert into mart_item_key by name
select * from mart_item_key_source()
order by key_hash
