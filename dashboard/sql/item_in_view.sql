-- the one item (kind, item_id) when its unit is in the viewer's scope, else nothing; found by the hash of its key
-- (one row group of the item key mart, not a scan of every item light). Created on each connection, as
-- units_in_view.sql is.
create or replace temp macro item_in_view(scope, item_kind, item) as table
select k.kind, k.item_id
from mart_item_key as k
where k.key_hash = hash(item_kind::varchar, item::varchar)
  and k.kind = item_kind::varchar and k.item_id = item::varchar
  and k.unit_code in (select unit_code from units_in_view(scope, null))
