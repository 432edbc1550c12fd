-- one row per document step that is new: inserted
insert into fct_document_step by name
select * exclude (changed_at)
from inc_batch($source, $loaded_at, $run_id) as n
where not exists (select 1 from fct_document_step as t where t.doc_id = n.doc_id and t.step_no = n.step_no)
