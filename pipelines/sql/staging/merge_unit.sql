-- one row per unit: insert new ones, replace changed ones (paths are recomputed right after)
insert or replace into dim_unit by name
select * exclude (item_id, changed_at, is_new, before, after) from chg_batch
