-- one row per unit: the calendar of its nearest ancestor (or itself) that has one, else 'default'
insert into unit_calendar
with roots as (
    select calendar_id, unit_code from calendar_unit_frame
),
candidates as (
    select a.unit_code, r.calendar_id, a.depth
    from dim_unit_ancestor as a
    join roots as r on r.unit_code = a.ancestor_code
),
nearest as (
    select unit_code, arg_min(calendar_id, depth) as calendar_id
    from candidates
    group by unit_code
),
final as (
    select u.unit_code, coalesce(n.calendar_id, 'default') as calendar_id
    from dim_unit as u
    left join nearest as n on n.unit_code = u.unit_code
)
select * from final
