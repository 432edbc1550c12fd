-- removes today's history rows of the items whose light changed since the last run (the day keeps its latest)
delete from item_light_history as h
using light_new as f
where h.snapshot_day = $day
    and h.kind = f.kind
    and h.item_id = f.item_id
    and f.status_changed
