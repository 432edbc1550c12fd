-- one row: how many items' lights differ from the last run's (the day's history then needs updating)
select count(*) from light_new where status_changed
