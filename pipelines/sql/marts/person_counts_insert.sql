-- one row per person, unit and kind with counted items: per status, overdue, due and on-time counts, the most overdue
insert into mart_person_counts by name
with counted as (
    select person_id, unit_code, kind, status, is_open, due_at, done_at, as_of, wd_remaining
    from item_light
    where person_id is not null
      and (is_open or done_at >= as_of - to_days($closed_days))
),
per_person as (
    select
        person_id, unit_code, kind,
        count(*) filter (where status = 'red') as red,
        count(*) filter (where status = 'yellow') as yellow,
        count(*) filter (where status = 'green') as green,
        count(*) filter (where status = 'unknown') as unknown,
        count(*) filter (where status = 'exempted') as exempted,
        count(*) filter (where status = 'red' and is_open) as overdue_open,
        count(*) filter (where status <> 'exempted' and due_at is not null
                         and ((not is_open) or due_at < as_of)) as due_count,
        count(*) filter (where status <> 'exempted' and due_at is not null
                         and not is_open and done_at <= due_at) as on_time_count,
        max(-wd_remaining) filter (where status = 'red' and is_open) as max_overdue_days
    from counted
    group by person_id, unit_code, kind
),
final as (
    select * from per_person
)
select * from final
-- a unit's rows together: a scope of a few units reads only their row groups
order by unit_code, person_id, kind
