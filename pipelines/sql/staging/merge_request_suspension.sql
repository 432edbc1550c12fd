-- one row per clock pause that the newest record of a work order reports (new, or its end changed)
insert or replace into fct_suspension by name
select
    'request' as kind,
    s.request_id as item_id,
    s.suspended_from as started_at,
    s.suspended_until as ended_at,
    s.status as reason,
    $source as source
from stg_batch as s
join fct_request as f on f.request_id = s.request_id
left join fct_suspension as p
    on p.kind = 'request' and p.item_id = s.request_id and p.started_at = s.suspended_from
where s.reason_code is null
    and s.suspended_from is not null
    and (s.updated_at is null or s.updated_at >= f.updated_at)
    and (p.item_id is null or p.ended_at is distinct from s.suspended_until)
