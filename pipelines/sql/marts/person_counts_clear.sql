-- removes every row of mart_person_counts before it is written again
delete from mart_person_counts
