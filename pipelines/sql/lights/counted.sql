-- one row per unit, person, kind, status and escalation among the counted item lights (of the rollup kinds,
-- open, or closed within the rollup window), with how many: unit and person rollups both start from here
create or replace temp table light_counted as
select
    unit_code, person_id, kind, status,
    case escalation when 'red' then 3 when 'orange' then 2 when 'blue' then 1 else 0 end as escalation_rank,
    count(*) as items
from light_new
where list_contains($rollup_kinds, kind) and (is_open or done_at >= $as_of - to_days($count_closed_days))
group by all
