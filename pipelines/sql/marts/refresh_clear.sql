-- removes the row of mart_refresh before it is written again
delete from mart_refresh
