-- one row per item light not in the mart as it is (changed, or new), appended after the ordered rows
insert into mart_item_key by name
select c.* exclude (mart_row)
from mart_item_key_changes as c
where c.mart_row is null
order by c.key_hash
