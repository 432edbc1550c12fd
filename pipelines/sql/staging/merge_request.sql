-- one row per work order that is new: inserted
insert into fct_request by name
select * exclude (undated)
from inc_batch($source, $loaded_at, $run_id) as n
where not exists (select 1 from fct_request as t where t.request_id = n.request_id)
