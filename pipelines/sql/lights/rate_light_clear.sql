-- removes the rate lights before this run's are written
delete from rate_light
