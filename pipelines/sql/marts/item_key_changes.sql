-- one row per difference between the item key mart and what it must hold (one join of the two, read by the two
-- statements after it): a mart row no longer as it must be (mart_row: its rowid, the rest null), or an item light
-- not in the mart as it is (changed, or new; mart_row null)
create or replace temp table mart_item_key_changes as
select m.rowid as mart_row, s.*
from mart_item_key_source() as s
full join mart_item_key as m
    on m.key_hash = s.key_hash and m.kind = s.kind and m.item_id = s.item_id and m.row_hash = s.row_hash
where s.row_hash is null or m.row_hash is null
