-- one row per document step: insert new ones, replace changed ones
insert or replace into fct_document_step by name
select * exclude (item_id, changed_at, is_new, before, after) from chg_batch
