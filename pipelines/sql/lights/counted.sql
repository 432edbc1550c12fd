-- one row per item counted in rollups: of the rollup kinds, open, or closed within the rollup window
create or replace temp table light_counted as
select
    kind, item_id, unit_code, person_id, status,
    case escalation when 'red' then 3 when 'orange' then 2 when 'blue' then 1 else 0 end as escalation_rank
from light_new
where list_contains($rollup_kinds, kind)
    and (is_open or done_at >= $as_of - to_days($count_closed_days))
