-- one row per item open at $as_of or whose light changed since the last run, for the local day of $as_of
insert into item_light_history by name
select
    $day as snapshot_day, kind, item_id, unit_code, person_id, status, as_of, rule_version, raw_status, reason_code
from light_final
where is_open or status is distinct from prev_status
