-- one row per unit that is new: inserted
insert into dim_unit by name
select * exclude (undated)
from inc_batch($source, $loaded_at, $run_id) as n
where not exists (select 1 from dim_unit as t where t.unit_code = n.unit_code)
