-- one row per item light not in the mart as it is (changed, or new), appended after the ordered rows
insert into mart_item_key by name
select s.*
from mart_item_key_source() as s
anti join mart_item_key as m
    on m.key_hash = s.key_hash and m.kind = s.kind and m.item_id = s.item_id and m.row_hash = s.row_hash
order by s.key_hash
