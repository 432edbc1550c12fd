-- removes every row of mart_unit_counts before it is written again
delete from mart_unit_counts
