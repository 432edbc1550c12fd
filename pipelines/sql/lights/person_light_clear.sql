-- removes the person rollups before this run's are written
delete from person_light
