-- removes the item keys whose unit or light changed, or whose item is gone
delete from mart_item_key
where rowid in (select mart_row from mart_item_key_changes where mart_row is not null)
