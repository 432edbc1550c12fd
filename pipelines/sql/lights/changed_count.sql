-- one row: how many item lights this run rewrote (new or changed)
select count(*) from light_new where changed
