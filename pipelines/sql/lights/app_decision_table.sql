-- one row when the app database (SQLite) has its decision table yet
select 1 from sqlite_master where type = 'table' and name = 'decision'
