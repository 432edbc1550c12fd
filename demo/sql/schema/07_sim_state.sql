-- one row per setting of the simulator's run (seed, size, last tick, ...): not part of the OA system
create table if not exists sim_state (
    key   text primary key,
    value text not null
)
