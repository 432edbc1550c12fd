-- one row per unit that changed: replaced by its newer record
insert or replace into dim_unit by name
select * exclude (item_id, changed_at, before, after) from chg_batch
