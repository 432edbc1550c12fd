-- one row per frame of unfinished items
select frame, data from sim_pending
