-- removes the unit history rows of the local day of $as_of before this run records that day again
delete from unit_light_history where snapshot_day = $day
