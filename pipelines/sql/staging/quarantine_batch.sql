-- one row per rejected record with its original payload, unless the same rejection is already recorded
insert into quarantine
with rejected as (
    select s._rn, s.record_key, s.reason_code, s.reason, to_json(r.rec) as payload
    from stg_batch as s
    join rejected_raw as r on r._rn = s._rn
    where s.reason_code is not null
),
final as (
    select
        $source as source,
        $kind as kind,
        $run_id as run_id,
        $loaded_at as quarantined_at,
        $record_offset + j._rn as record_no,
        j.record_key,
        j.reason_code,
        j.reason,
        j.payload
    from rejected as j
    where not exists (
        select 1
        from quarantine as q
        where q.source = $source
            and q.record_key is not distinct from j.record_key
            and q.reason_code = j.reason_code
            and q.payload = j.payload
    )
)
select * from final
