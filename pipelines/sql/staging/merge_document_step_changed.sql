-- one row per document step that changed: replaced by its newer record
insert or replace into fct_document_step by name
select * exclude (item_id, changed_at, before, after) from chg_batch
