-- one row per day whose daily counts must be written again: the as-of day, and days new, gone or changed in history
create or replace temp table mart_history_changed as
select coalesce(s.snapshot_day, m.snapshot_day) as snapshot_day
from mart_history_source as s
full join mart_history_day as m on m.snapshot_day = s.snapshot_day
where s.snapshot_day is null
   or m.snapshot_day is null
   or s.history_rows <> m.history_rows
   or s.last_as_of is distinct from m.last_as_of
   -- a lights run repeated for the same as-of time rewrites its day without changing either
   or s.snapshot_day = $day
