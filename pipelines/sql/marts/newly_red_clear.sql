-- removes every row of mart_newly_red before it is written again
delete from mart_newly_red
