-- one row per person: insert new ones, replace changed ones
insert or replace into dim_person by name
select * exclude (item_id, changed_at, is_new, before, after) from chg_batch
