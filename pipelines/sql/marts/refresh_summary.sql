-- one row: what the refresh wrote (the lights' as-of time, items, active items, history days recounted)
select
    r.lights_as_of, r.items, r.active_items,
    (select count(*) from mart_history_changed) as days_recounted
from mart_refresh as r
