-- one row per milestone: insert new ones, replace changed ones
insert or replace into fct_milestone by name
select * exclude (item_id, changed_at, is_new, before, after) from chg_batch
