-- removes the active items whose light, names or place changed, or that are no longer counted
delete from mart_active_item
where rowid in (
    select m.rowid
    from mart_active_item as m
    anti join mart_active_source($closed_days) as s
        on s.kind = m.kind and s.item_id = m.item_id and s.row_hash = m.row_hash
)
