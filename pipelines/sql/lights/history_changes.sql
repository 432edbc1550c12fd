-- one row per item whose light changed since the last run of the same local day: the day's latest light
insert into item_light_history by name
select
    $day as snapshot_day, kind, item_id, unit_code, person_id, status, $as_of as as_of, $rule_version as rule_version,
    raw_status, reason_code
from light_new
where status_changed
