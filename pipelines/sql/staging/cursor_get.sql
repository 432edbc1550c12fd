-- one row per stream with a stored cursor: its value
select cursor_value from source_cursor where source = $source
