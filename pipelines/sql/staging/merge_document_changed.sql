-- one row per document that changed: replaced by its newer record
insert or replace into fct_document by name
select * exclude (item_id, changed_at, before, after) from chg_batch
