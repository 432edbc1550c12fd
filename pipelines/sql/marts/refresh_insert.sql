-- one row: what the marts were built from
insert into mart_refresh by name
select
    max(as_of) as lights_as_of,
    count(*) as items,
    count(*) filter (where stale) as stale_items,
    (select count(*) from mart_active_item) as active_items,
    $as_of as as_of,
    $day as day,
    $previous_day::date as previous_day,
    $trend_from as trend_from,
    $rewritten_day::date as rewritten_day,
    $appended_rows::bigint as appended_rows
from item_light
