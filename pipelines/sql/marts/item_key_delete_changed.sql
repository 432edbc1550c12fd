-- removes the item keys whose unit or light changed, or whose item is gone
delete from mart_item_key
where rowid in (
    select m.rowid
    from mart_item_key as m
    anti join mart_item_key_source() as s
        on s.key_hash = m.key_hash and s.kind = m.kind and s.item_id = m.item_id and s.row_hash = m.row_hash
)
