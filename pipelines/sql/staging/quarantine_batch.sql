-- one row per rejected record with its original payload, unless the same rejection is already recorded
insert into quarantine
select
    $source as source,
    $kind as kind,
    $run_id as run_id,
    $loaded_at as quarantined_at,
    $record_offset + s._rn as record_no,
    s.record_key,
    s.reason_code,
    s.reason,
    r.payload
from stg_batch as s
join raw_payload as r on r._rn = s._rn
where s.reason_code is not null
    and not exists (
        select 1
        from quarantine as q
        where q.source = $source
            and q.record_key is not distinct from s.record_key
            and q.reason_code = s.reason_code
            and q.payload = r.payload
    )
