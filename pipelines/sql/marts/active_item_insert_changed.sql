-- one row per counted item not in the mart as it is (changed, or newly counted), appended after the ordered rows
insert into mart_active_item by name
select c.* exclude (mart_row)
from mart_active_changes as c
where c.mart_row is null
order by c.status, c.unit_path, c.kind, c.item_id
