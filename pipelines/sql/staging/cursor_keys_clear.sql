-- removes a stream's boundary keys before the new boundary is stored
delete from source_cursor_key where source = $source
