-- no source status is kept in this warehouse: no source counts as stale
create or replace temp table light_stale (source varchar, is_stale boolean)
