-- one row: the latest item history day before $day (null without one: then nothing is "newly" red)
select max(snapshot_day) as previous_day
from item_light_history
where snapshot_day < $day
