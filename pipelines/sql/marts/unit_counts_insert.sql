-- one row per unit, kind and category with item lights: counted items per status, overdue, due and on-time counts
insert into mart_unit_counts by name
with items as (
    select
        unit_code, kind, category, status, is_open, due_at, done_at, as_of,
        coalesce(is_open or done_at >= as_of - to_days($closed_days), false) as counted
    from item_light
),
final as (
    select
        unit_code, kind, category,
        count(*) as items,
        count(*) filter (where counted and status = 'red') as red,
        count(*) filter (where counted and status = 'yellow') as yellow,
        count(*) filter (where counted and status = 'green') as green,
        count(*) filter (where counted and status = 'unknown') as unknown,
        count(*) filter (where counted and status = 'exempted') as exempted,
        count(*) filter (where counted and status = 'red' and is_open) as overdue_open,
        count(*) filter (where counted and status <> 'exempted' and due_at is not null
                         and ((not is_open) or due_at < as_of)) as due_count,
        count(*) filter (where counted and status <> 'exempted' and due_at is not null
                         and not is_open and done_at <= due_at) as on_time_count
    from items
    group by unit_code, kind, category
)
select * from final
order by unit_code, kind, category
