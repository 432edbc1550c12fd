-- removes the unit rollups before this run's are written
delete from unit_light
