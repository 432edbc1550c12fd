-- one row per person or unit (own | subtree) and rate over the $rate_period_days before $as_of
insert into rate_light by name
with closed as (
    -- Exempted items drop out of rates, as they drop out of rollups.
    select *
    from light_new
    where not is_open
        and done_at > $as_of - to_days($rate_period_days)
        and status <> 'exempted'
),
facts as (
    select unit_code, person_id, 'on_time' as rate, raw_reason_code = 'closed_on_time' as hit
    from closed
    where list_contains($on_time_kinds, kind) and raw_reason_code in ('closed_on_time', 'closed_late')
    union all
    select unit_code, person_id, 'satisfaction', list_contains($satisfied_values, satisfaction)
    from closed
    where kind = 'request' and satisfaction is not null
    union all
    select unit_code, person_id, 'reopened', coalesce(reopened_count, 0) > 0
    from closed
    where kind = 'request'
),
rates as (
    select * from (values
        ('on_time', true, $on_time_yellow, $on_time_red, $on_time_min, '按期办结率', 'on-time closure rate'),
        ('satisfaction', true, $satisfaction_yellow, $satisfaction_red, $satisfaction_min, '满意率', 'satisfaction rate'),
        ('reopened', false, $reopened_yellow, $reopened_red, $reopened_min, '重办率', 're-opened rate')
    ) as r(rate, higher_is_better, yellow, red, min_sample, name_zh, name_en)
),
person_counts as (
    select 'person' as subject_type, person_id as subject_id, 'own' as scope, rate,
        count(*) filter (where hit) as numerator, count(*) as denominator
    from facts
    where person_id is not null
    group by person_id, rate
),
unit_own as (
    select unit_code, rate, count(*) filter (where hit) as numerator, count(*) as denominator
    from facts
    group by unit_code, rate
),
unit_counts as (
    select 'unit' as subject_type, unit_code as subject_id, 'own' as scope, rate, numerator, denominator
    from unit_own
    union all
    select 'unit', a.ancestor_code, 'subtree', o.rate, sum(o.numerator), sum(o.denominator)
    from unit_own as o
    join dim_unit_ancestor as a on a.unit_code = o.unit_code
    group by a.ancestor_code, o.rate
),
subjects as (
    select 'unit' as subject_type, u.unit_code as subject_id, s.scope
    from dim_unit as u
    cross join (values ('own'), ('subtree')) as s(scope)
    union
    select 'person', person_id, 'own' from dim_person
    union
    select subject_type, subject_id, scope from person_counts
),
grid as (
    select s.*, r.*
    from subjects as s
    cross join rates as r
),
measured as (
    select
        g.*,
        coalesce(c.numerator, 0) as numerator,
        coalesce(c.denominator, 0) as denominator,
        c.numerator / nullif(c.denominator, 0) as value
    from grid as g
    left join (select * from person_counts union all by name select * from unit_counts) as c
        on c.subject_type = g.subject_type and c.subject_id = g.subject_id and c.scope = g.scope and c.rate = g.rate
),
judged as (
    select
        *,
        case
            when denominator < min_sample then {'s': 'unknown', 'c': 'not_enough_data'}
            when higher_is_better and value < red then {'s': 'red', 'c': 'rate_low'}
            when higher_is_better and value < yellow then {'s': 'yellow', 'c': 'rate_low'}
            when not higher_is_better and value > red then {'s': 'red', 'c': 'rate_high'}
            when not higher_is_better and value > yellow then {'s': 'yellow', 'c': 'rate_high'}
            else {'s': 'green', 'c': 'rate_ok'}
        end as light,
        format('{:g}', yellow * 100) as yellow_t,
        format('{:g}', red * 100) as red_t,
        printf('%.1f', coalesce(value, 0) * 100) as value_t
    from measured
),
final as (
    select
        subject_type, subject_id, scope, rate, numerator, denominator, value, min_sample,
        light.s as status,
        light.c as reason_code,
        case when light.c = 'not_enough_data' then
            '样本不足：近 ' || $rate_period_days || ' 天' || name_zh || '仅有 ' || denominator || ' 件可计，少于 '
            || min_sample || ' 件，不作判断（不计为绿灯）'
        else
            name_zh || ' ' || value_t || '%（' || numerator || '/' || denominator || '，近 ' || $rate_period_days || ' 天）：'
            || case when higher_is_better then '低于 ' || yellow_t || '% 为黄、低于 ' || red_t || '% 为红'
                else '高于 ' || yellow_t || '% 为黄、高于 ' || red_t || '% 为红' end
        end as reason_zh,
        case when light.c = 'not_enough_data' then
            'Not enough data: ' || denominator || ' item(s) for the ' || name_en || ' in the last ' || $rate_period_days
            || ' days, fewer than ' || min_sample || '; not judged (never counted as green)'
        else
            upper(name_en[1]) || name_en[2:] || ' ' || value_t || '% (' || numerator || '/' || denominator
            || ', last ' || $rate_period_days || ' days): '
            || case when higher_is_better then 'below ' || yellow_t || '% is yellow, below ' || red_t || '% red'
                else 'above ' || yellow_t || '% is yellow, above ' || red_t || '% red' end
        end as reason_en,
        $as_of - to_days($rate_period_days) as period_start,
        $as_of as period_end,
        $rule_version as rule_version,
        $run_id as run_id
    from judged
)
select * from final
