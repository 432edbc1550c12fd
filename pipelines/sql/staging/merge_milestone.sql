-- one row per milestone that is new: inserted
insert into fct_milestone by name
select * exclude (item_id, changed_at, is_new, before, after) from chg_batch
where is_new
