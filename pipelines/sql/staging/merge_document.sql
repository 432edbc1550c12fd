-- one row per document that is new: inserted
insert into fct_document by name
select * exclude (undated)
from inc_batch($source, $loaded_at, $run_id) as n
where not exists (select 1 from fct_document as t where t.doc_id = n.doc_id)
