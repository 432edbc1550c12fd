-- removes every row of mart_history_day before it is written again
delete from mart_history_day
