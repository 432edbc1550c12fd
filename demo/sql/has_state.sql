-- one row when the simulator's state table exists in this database
select name from sqlite_master where type = 'table' and name = ?
