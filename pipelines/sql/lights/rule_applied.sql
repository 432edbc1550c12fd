-- one row per kind, category, unit and job category among the items: the parameters that apply,
-- each from the most specific matching rule that sets it, and the ids of the rules that contributed
create or replace temp table light_rule_applied as
with combos as (
    -- Empty strings stand for "none" so that the items can be joined to their rule on plain equality.
    select distinct
        i.kind, coalesce(i.category, '') as category, i.unit_code, coalesce(p.job_category, '') as job_category
    from (
        select 'document' as kind, coalesce(category, doc_type) as category, unit_code, person_id
        from fct_document
        union all
        select 'document_step', s.step_name, coalesce(s.unit_code, d.unit_code), coalesce(s.person_id, d.person_id)
        from fct_document_step as s
        left join fct_document as d on d.doc_id = s.doc_id
        union all
        select 'milestone', category, unit_code, person_id
        from fct_milestone
        union all
        select 'request', category, unit_code, person_id
        from fct_request
    ) as i
    left join dim_person as p on p.person_id = i.person_id
),
matches as (
    select
        c.kind, c.category as item_category, c.unit_code as item_unit, c.job_category as item_job, r.*,
        -- More selectors beat fewer; then a nearer unit; then a later declaration.
        r.dims * 1000000 + coalesce(1000 - a.depth, 0) * 1000 + r.ordinal as specificity
    from combos as c
    join light_rule as r
        on r.indicator = c.kind
        and (r.category is null or r.category = c.category)
        and (r.job_category is null or r.job_category = c.job_category)
    left join dim_unit_ancestor as a
        on a.unit_code = c.unit_code and a.ancestor_code = r.unit_code
    where r.unit_code is null or a.ancestor_code is not null
),
params as (
    select
        kind, item_category, item_unit, item_job,
        arg_max(limit_workdays, specificity) filter (where limit_workdays is not null) as limit_workdays,
        arg_max(yellow_unit, specificity) filter (where yellow_unit is not null) as yellow_unit,
        arg_max(yellow_value, specificity) filter (where yellow_unit is not null) as yellow_value,
        arg_max(progress_yellow_behind, specificity) filter (where progress_yellow_behind is not null)
            as progress_yellow_behind,
        arg_max(progress_red_behind, specificity) filter (where progress_red_behind is not null)
            as progress_red_behind,
        arg_max(progress_clock, specificity) filter (where progress_clock is not null) as progress_clock,
        arg_max(not_started_yellow_after_days, specificity)
            filter (where not_started_yellow_after_days is not null) as not_started_yellow_after_days,
        arg_max(not_started_red_after_months, specificity)
            filter (where not_started_red_after_months is not null) as not_started_red_after_months,
        -- The rules that won at least one parameter, ranked from general to specific; the default limit's
        -- rule is named only for items that use it (not when the source gives a limit or a due time).
        list_distinct(list_value(
            arg_max({'s': specificity, 'id': rule_id}, specificity) filter (where yellow_unit is not null),
            arg_max({'s': specificity, 'id': rule_id}, specificity) filter (where progress_yellow_behind is not null),
            arg_max({'s': specificity, 'id': rule_id}, specificity) filter (where progress_red_behind is not null),
            arg_max({'s': specificity, 'id': rule_id}, specificity) filter (where progress_clock is not null),
            arg_max({'s': specificity, 'id': rule_id}, specificity)
                filter (where not_started_yellow_after_days is not null),
            arg_max({'s': specificity, 'id': rule_id}, specificity)
                filter (where not_started_red_after_months is not null)
        )) as winners_without_limit,
        arg_max({'s': specificity, 'id': rule_id}, specificity) filter (where limit_workdays is not null)
            as limit_winner
    from matches
    group by kind, item_category, item_unit, item_job
),
ranked as (
    select
        * exclude (winners_without_limit, limit_winner),
        row_number() over (order by kind, item_category, item_unit, item_job) as rule_no,
        array_to_string(list_transform(list_sort(list_distinct(list_append(winners_without_limit, limit_winner))),
                                       lambda w: w.id), ' + ') as rule_id,
        array_to_string(list_transform(list_sort(winners_without_limit), lambda w: w.id), ' + ')
            as rule_id_without_limit
    from params
),
final as (
    -- The rule's thresholds as one phrase per language, shared by every item it applies to.
    select
        *,
        '逾期为红，'
        || case yellow_unit
            when 'workdays' then '剩余不超过 ' || format('{:g}', yellow_value) || ' 个工作日为黄'
            when 'workhours' then '剩余不超过 ' || format('{:g}', yellow_value) || ' 个工作小时为黄'
            else '剩余时间不超过时限的 ' || format('{:g}', yellow_value * 100) || '% 为黄' end
        || case when kind = 'milestone' then
            '；落后序时进度 ' || format('{:g}', progress_yellow_behind) || ' 个百分点及以上为黄、超过 '
            || format('{:g}', progress_red_behind) || ' 为红；进度为 0 者计划开始 '
            || not_started_yellow_after_days || ' 天后为黄、' || not_started_red_after_months || ' 个月后为红'
            else '' end as rule_zh,
        'overdue is red, '
        || case yellow_unit
            when 'workdays' then 'yellow within ' || format('{:g}', yellow_value) || ' working day(s)'
            when 'workhours' then 'yellow within ' || format('{:g}', yellow_value) || ' office hour(s)'
            else 'yellow within the last ' || format('{:g}', yellow_value * 100) || '% of the allowed time' end
        || case when kind = 'milestone' then
            '; ' || format('{:g}', progress_yellow_behind) || ' or more points behind plan is yellow, more than '
            || format('{:g}', progress_red_behind) || ' red; progress 0 is yellow ' || not_started_yellow_after_days
            || ' days after the planned start, red after ' || not_started_red_after_months || ' months'
            else '' end as rule_en
    from ranked
)
select *, hash(rule_zh, rule_en, rule_id, rule_id_without_limit, $rule_version) as rule_hash from final
