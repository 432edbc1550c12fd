-- one row per record exactly as received, with the key we read from it
insert into raw_landing
select
    $source as source,
    $kind as kind,
    $run_id as run_id,
    $loaded_at as loaded_at,
    $record_offset + r._rn as record_no,
    s.record_key,
    r.payload
from raw_payload as r
left join stg_batch as s on s._rn = r._rn
