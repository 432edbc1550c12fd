-- one row per record exactly as received, with the key read from it
insert into raw_landing
select
    $source as source,
    $kind as kind,
    $run_id as run_id,
    $loaded_at as loaded_at,
    $record_offset + _rn as record_no,
    _key as record_key,
    to_json(rec) as payload
from raw_batch
