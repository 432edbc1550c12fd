-- one row per item light with a status outside the vocabulary, or green without a known deadline
select kind, item_id, status, raw_status, due_at
from item_light
where status not in ('green', 'yellow', 'red', 'unknown', 'exempted')
    or raw_status not in ('green', 'yellow', 'red', 'unknown')
    or (status = 'green' and due_at is null)
    or (status = 'exempted' and decision_id is null)
