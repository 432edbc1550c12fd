-- one row per unit, scope and kind: the rolled-up light, red streak and escalation
insert into unit_light by name
with history as (
    -- Working days only: days off neither extend nor break a run of red days.
    select h.unit_code, h.scope, h.snapshot_day, h.red
    from unit_light_history as h
    join dim_calendar as c on c.day = h.snapshot_day
    where c.is_workday and h.snapshot_day <= $day
),
last_clear as (
    select unit_code, scope, max(snapshot_day) as clear_day
    from history
    where red = 0
    group by unit_code, scope
),
streak as (
    select h.unit_code, h.scope, count(*) as red_days, min(h.snapshot_day) as red_since
    from history as h
    left join last_clear as l on l.unit_code = h.unit_code and l.scope = h.scope
    where h.red > 0 and (l.clear_day is null or h.snapshot_day > l.clear_day)
    group by h.unit_code, h.scope
),
lit as (
    select
        c.*,
        rollup_light(c.red, c.yellow, c.green, c.unknown, $rollup_method, $rollup_red_share, $rollup_yellow_share,
                     $rollup_unknown_share) as light,
        case when c.kind = 'all' and c.red > 0 then greatest(coalesce(s.red_days, 0), 1) else 0 end as red_days_in_row,
        case when c.kind = 'all' and c.red > 0 then coalesce(s.red_since, $day) end as red_since
    from light_unit_counts as c
    left join streak as s on s.unit_code = c.unit_code and s.scope = c.scope
),
final as (
    select
        unit_code, scope, kind,
        light.s as status,
        light.c as reason_code,
        items, red, yellow, green, unknown, exempted,
        red / nullif(red + yellow + green + unknown, 0) as red_share,
        case escalation_rank when 3 then 'red' when 2 then 'orange' when 1 then 'blue' else 'none' end
            as worst_escalation,
        red_days_in_row,
        red_since,
        case
            when red_days_in_row >= $unit_red_at then 'red'
            when red_days_in_row >= $unit_orange_at then 'orange'
            when red_days_in_row >= $unit_blue_at then 'blue'
            else 'none'
        end as escalation,
        $as_of as as_of,
        $rule_version as rule_version,
        $run_id as run_id
    from lit
)
select * from final
