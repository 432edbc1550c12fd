-- one row per event of the log, shaped as a document step record: a step ends when its event happens
create or replace temp table evt_steps as
with events as (
    select
        *,
        row_number() over (partition by case_id order by event_time, _rn) as step_no
    from stg_batch
    where reason_code is null
),
timed as (
    select
        *,
        coalesce(
            lag(event_time) over (partition by case_id order by step_no),
            case when case_start <= event_time then case_start else event_time end
        ) as started_at
    from events
),
final as (
    select
        (row_number() over (order by case_id, step_no) - 1)::bigint as _rn,
        case_id as doc_id,
        cast(step_no as varchar) as step_no,
        activity as step_name,
        resource as person_id,
        org_group as unit_code,
        cast(started_at as varchar) as started_at,
        cast(event_time as varchar) as finished_at,
        null::varchar as limit_days,
        cast(event_time as varchar) as updated_at
    from timed
)
select * from final
