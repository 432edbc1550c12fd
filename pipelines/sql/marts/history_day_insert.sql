-- one row per item history day the daily counts now cover, with what they were built from
insert into mart_history_day by name
select snapshot_day, history_rows, last_as_of
from mart_history_source
