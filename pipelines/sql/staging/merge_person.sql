-- one row per person that is new: inserted
insert into dim_person by name
select * exclude (item_id, changed_at, is_new, before, after) from chg_batch
where is_new
