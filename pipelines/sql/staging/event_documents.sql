-- one row per case of the event log, shaped as a document record as a source would send it
create or replace temp table evt_documents as
with events as (
    select * from stg_batch where reason_code is null
),
cases as (
    select
        case_id as doc_id,
        any_value(case_title) as title,
        any_value(case_type) as doc_type,
        coalesce(any_value(case_unit), $default_unit) as unit_code,
        any_value(case_person) as person_id,
        coalesce(min(case_start), min(event_time)) as received_at,
        min(case_deadline) as due_at,
        case when $closed_when = 'last_event' then max(event_time) else max(case_end) end as closed_at,
        max(event_time) as updated_at
    from events
    group by case_id
),
final as (
    select
        (row_number() over (order by doc_id) - 1)::bigint as _rn,
        doc_id,
        coalesce(title, doc_id) as title,
        doc_type,
        null::varchar as category,
        unit_code,
        person_id,
        cast(received_at as varchar) as received_at,
        null::varchar as limit_days,
        cast(due_at as varchar) as due_at,
        cast(closed_at as varchar) as closed_at,
        cast(updated_at as varchar) as updated_at
    from cases
)
select * from final
