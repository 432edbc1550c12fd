-- removes every row of mart_active_item before it is written again
delete from mart_active_item
