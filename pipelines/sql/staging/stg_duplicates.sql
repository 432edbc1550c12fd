-- one row per valid record that a newer valid record with the same key in the same batch replaces: a duplicate
update stg_batch as s
set reason_code = 'duplicate', reason = $duplicate_reason
from (
    with repeated as (
        select record_key
        from stg_batch
        where reason_code is null
        group by record_key
        having count(*) > 1
    ),
    copies as (
        select
            b._rn,
            row_number() over (partition by b.record_key order by b.updated_at desc nulls last, b._rn desc) as copy_no
        from stg_batch as b
        semi join repeated as r on r.record_key = b.record_key
        where b.reason_code is null
    )
    select _rn from copies where copy_no > 1
) as d
where s._rn = d._rn
