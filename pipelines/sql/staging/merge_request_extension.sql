-- one row per deadline extension a work order reports that is not yet recorded
insert or ignore into fct_extension by name
select distinct on (s.request_id, s.extended_to)
    'request' as kind,
    s.request_id as item_id,
    coalesce(s.updated_at, $loaded_at) as approved_at,
    s.extended_to as new_due_at,
    null as reason,
    $source as source
from stg_batch as s
left join fct_extension as e
    on e.kind = 'request' and e.item_id = s.request_id and e.new_due_at = s.extended_to
where s.reason_code is null
    and s.extended_to is not null
    and e.item_id is null
order by s.request_id, s.extended_to, s.updated_at
