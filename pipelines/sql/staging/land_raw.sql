-- one row per record exactly as received, with the key read from it
insert into raw_landing
select
    $source as source,
    $kind as kind,
    $run_id as run_id,
    $loaded_at as loaded_at,
    $record_offset + r._rn as record_no,
    k._key as record_key,
    to_json(p) as payload
from raw_batch as r
positional join (select * exclude (_rn) from raw_batch) as p
positional join (select _key from src_batch) as k
