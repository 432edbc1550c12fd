-- one row per milestone that is new: inserted
insert into fct_milestone by name
select * exclude (undated)
from inc_batch($source, $loaded_at, $run_id) as n
where not exists (select 1 from fct_milestone as t where t.milestone_id = n.milestone_id)
