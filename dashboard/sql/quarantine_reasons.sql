-- one row per source and reason code among rejected records: how many, when last, an example
with rejected as (
    select source, kind, reason_code, reason, record_key, quarantined_at, run_id
    from quarantine
),
final as (
    select
        source, kind, reason_code,
        count(*) as records,
        max(quarantined_at) as last_seen,
        arg_max(reason, quarantined_at) as example_reason,
        string_agg(distinct record_key, ', ') filter (where record_key is not null) as record_keys,
        max(run_id) as last_run_id
    from rejected
    group by source, kind, reason_code
)
select * from final
order by records desc, source, reason_code
