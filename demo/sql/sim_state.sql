-- one row per simulator setting
select key, value from sim_state
