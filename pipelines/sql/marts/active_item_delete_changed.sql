-- removes the active items whose light, names or place changed, or that are no longer counted
delete from mart_active_item
where rowid in (select mart_row from mart_active_changes where mart_row is not null)
