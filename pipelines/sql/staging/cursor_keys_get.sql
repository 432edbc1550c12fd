-- one row per record key read at exactly the stored cursor value of a stream
select record_key from source_cursor_key where source = $source
