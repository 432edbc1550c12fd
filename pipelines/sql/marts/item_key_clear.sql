-- removes every row of mart_item_key before it is written again
delete from mart_item_key
