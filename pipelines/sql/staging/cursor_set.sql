-- one row per stream: the highest update time read so far
insert or replace into source_cursor (source, cursor_value, updated_at)
values ($source, $cursor_value, $updated_at)
