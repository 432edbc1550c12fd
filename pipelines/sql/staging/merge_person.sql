-- one row per person that is new: inserted
insert into dim_person by name
select * exclude (undated)
from inc_batch($source, $loaded_at, $run_id) as n
where not exists (select 1 from dim_person as t where t.person_id = n.person_id)
