-- one row per simulator setting, inserted or replaced
insert into sim_state (key, value) values (?, ?)
on conflict (key) do update set value = excluded.value
