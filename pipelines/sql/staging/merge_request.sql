-- one row per work order: insert new ones, replace changed ones
insert or replace into fct_request by name
select * exclude (item_id, changed_at, is_new, before, after) from chg_batch
