-- removes today's history rows of the items this run records again (the day keeps its latest light)
delete from item_light_history as h
using light_new as f
where h.snapshot_day = $day
    and h.kind = f.kind
    and h.item_id = f.item_id
    and (f.is_open or f.done_at >= $as_of - to_days($count_closed_days) or f.status is distinct from f.prev_status)
