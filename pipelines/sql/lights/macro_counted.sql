-- the item lights counted in rollups: of the rollup kinds, open, or closed within the rollup window (a table
-- macro, created once light_new exists)
create or replace temp macro light_counted(as_of, kinds, closed_days) as table
select
    kind, item_id, unit_code, person_id, status,
    case escalation when 'red' then 3 when 'orange' then 2 when 'blue' then 1 else 0 end as escalation_rank
from light_new
where list_contains(kinds, kind) and (is_open or done_at >= as_of - to_days(closed_days))
