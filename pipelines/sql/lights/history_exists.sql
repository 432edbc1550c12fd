-- one row: whether the local day of $as_of already has its daily snapshot in item_light_history
select exists (select 1 from item_light_history where snapshot_day = $day)
