-- one row per item counted at $as_of (open, or closed within the rollup window) or whose light changed since
-- the last run that knew it: the daily snapshot, written by the first lights run of the local day of $as_of
insert into item_light_history by name
select
    $day as snapshot_day, kind, item_id, unit_code, person_id, status, $as_of as as_of, $rule_version as rule_version,
    raw_status, reason_code
from light_new
where is_open or done_at >= $as_of - to_days($count_closed_days) or status <> prev_status
