-- one row per changed record: what we held before and what we hold now
insert into fct_change_history
select $item_kind as kind, item_id, changed_at, $run_id as run_id, before, after
from chg_batch
