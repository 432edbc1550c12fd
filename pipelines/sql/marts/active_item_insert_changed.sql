-- one row per counted item not in the mart as it is (changed, or newly counted), appended after the ordered rows
insert into mart_active_item by name
select s.*
from mart_active_source($closed_days) as s
anti join mart_active_item as m
    on m.kind = s.kind and m.item_id = s.item_id and m.row_hash = s.row_hash
order by s.status, s.unit_path, s.kind, s.item_id
