-- one row per document step that is new: inserted
insert into fct_document_step by name
select * exclude (item_id, changed_at, is_new, before, after) from chg_batch
where is_new
