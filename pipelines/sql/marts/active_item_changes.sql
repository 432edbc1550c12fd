-- one row per difference between the active items mart and what it must hold (one join of the two, read by the two
-- statements after it): a mart row no longer as it must be (mart_row: its rowid, the rest null), or a counted item
-- not in the mart as it is (changed, or newly counted; mart_row null)
create or replace temp table mart_active_changes as
select m.rowid as mart_row, s.*
from mart_active_source($closed_days) as s
full join mart_active_item as m
    on m.kind = s.kind and m.item_id = s.item_id and m.row_hash = s.row_hash
where s.row_hash is null or m.row_hash is null
