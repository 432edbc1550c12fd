-- one row per frame of items whose lives are not over yet (Arrow IPC bytes): not part of the OA system
create table if not exists sim_pending (
    frame      text primary key,
    data       blob not null,
    updated_at text not null
)
