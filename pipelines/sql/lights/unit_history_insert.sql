-- one row per unit and scope for the local day of $as_of: the counts of all counted item lights
insert into unit_light_history by name
select
    $day as snapshot_day, unit_code, scope,
    rollup_light(red, yellow, green, unknown, $rollup_method, $rollup_red_share, $rollup_yellow_share,
                 $rollup_unknown_share).s as status,
    red, yellow, green, unknown, exempted, $as_of as as_of, $rule_version as rule_version
from light_unit_counts
where kind = 'all'
