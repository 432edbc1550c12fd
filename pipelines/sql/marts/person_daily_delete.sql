-- removes the person daily counts of days before $trend_from and of days written again
delete from mart_person_daily
where snapshot_day < $trend_from
   or snapshot_day in (select snapshot_day from mart_history_changed)
