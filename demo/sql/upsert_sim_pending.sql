-- one row per frame of unfinished items, inserted or replaced
insert into sim_pending (frame, data, updated_at) values (?, ?, ?)
on conflict (frame) do update set data = excluded.data, updated_at = excluded.updated_at
