-- one row per record key read at exactly the new cursor value
insert or ignore into source_cursor_key
select distinct $source as source, record_key from boundary_keys
