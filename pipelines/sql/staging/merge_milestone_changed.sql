-- one row per milestone that changed: replaced by its newer record
insert or replace into fct_milestone by name
select * exclude (item_id, changed_at, before, after) from chg_batch
