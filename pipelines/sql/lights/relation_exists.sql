-- one row when a table or view of this name exists in the main schema
select 1 from information_schema.tables where table_schema = 'main' and table_name = $name
