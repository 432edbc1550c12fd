-- one row per person that changed: replaced by its newer record
insert or replace into dim_person by name
select * exclude (item_id, changed_at, before, after) from chg_batch
