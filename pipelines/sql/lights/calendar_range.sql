-- one row: the first and last local day any clock may touch, and the longest time limit in working days
with times as (
    select min(received_at) as first_at, greatest(max(received_at), max(closed_at), max(due_at)) as last_at,
        max(limit_days) as max_limit
    from fct_document
    union all
    select min(started_at), greatest(max(started_at), max(finished_at)), max(limit_days)
    from fct_document_step
    union all
    select min(received_at), greatest(max(received_at), max(closed_at), max(due_at)), max(limit_days)
    from fct_request
    union all
    select min(started_at), max(coalesce(ended_at, started_at)), null
    from fct_suspension
    union all
    select min(approved_at), max(new_due_at), null
    from fct_extension
    union all
    select null, max(last_red_at), null
    from item_light
),
days as (
    select min(timezone($tz, first_at)::date) as first_day, max(timezone($tz, last_at)::date) as last_day,
        max(max_limit) as max_limit
    from times
),
milestone_days as (
    select least(min(planned_start), min(planned_date)) as first_day,
        greatest(max(planned_date), max(actual_date)) as last_day
    from fct_milestone
),
final as (
    select
        least(d.first_day, m.first_day, timezone($tz, $as_of)::date) as first_day,
        greatest(d.last_day, m.last_day, timezone($tz, $as_of)::date) as last_day,
        coalesce(d.max_limit, 0) as max_limit
    from days as d, milestone_days as m
)
select * from final
