-- one row per item history day from $trend_from on: how many rows it has and the latest as-of time among them
create or replace temp table mart_history_source as
select snapshot_day, count(*) as history_rows, max(as_of) as last_as_of
from item_light_history
where snapshot_day >= $trend_from
group by snapshot_day
