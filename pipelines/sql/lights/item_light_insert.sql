-- one row per item whose light changed in this run, with its explanation in Chinese and English
insert into item_light by name
with changed as (
    select
        n.*,
        case when n.deadline_basis = 'rule_limit' then r.rule_id else r.rule_id_without_limit end as rule_id,
        '规则 ' || case when n.deadline_basis = 'rule_limit' then r.rule_id else r.rule_id_without_limit end
            || '（' || $rule_version || '）：' || r.rule_zh as rule_zh,
        'Rule ' || case when n.deadline_basis = 'rule_limit' then r.rule_id else r.rule_id_without_limit end
            || ' (' || $rule_version || '): ' || r.rule_en as rule_en,
        r.yellow_unit
    from light_new as n
    join light_rule_applied as r on r.rule_no = n.rule_no
    where n.changed
),
keys as (
    select kind, item_id from changed
),
facts as (
    -- What the explanation shows, read only for the changed items (a semi join per source table).
    select
        'document' as kind, doc_id as item_id, title, coalesce(category, doc_type) as category, unit_code,
        received_at as started_at, source, source || ':' || doc_id as source_record,
        null::date as planned_start, null::date as planned_date, null::double as progress_pct
    from fct_document
    semi join keys on keys.kind = 'document' and keys.item_id = doc_id
    union all by name
    select
        'document_step' as kind, s.doc_id || '#' || s.step_no as item_id,
        coalesce(d.title || ' · ', '') || s.step_name as title, s.step_name as category,
        coalesce(s.unit_code, d.unit_code) as unit_code, s.started_at, s.source,
        s.source || ':' || s.doc_id || '#' || s.step_no as source_record
    from fct_document_step as s
    left join fct_document as d on d.doc_id = s.doc_id
    semi join keys on keys.kind = 'document_step' and keys.item_id = s.doc_id || '#' || s.step_no
    union all by name
    select
        'milestone' as kind, milestone_id as item_id,
        case when task_name is not null then task_name || ' · ' || name else name end as title,
        category, unit_code, instant(planned_start::timestamp, $off_us) as started_at, source,
        source || ':' || milestone_id as source_record, planned_start, planned_date, progress_pct
    from fct_milestone
    semi join keys on keys.kind = 'milestone' and keys.item_id = milestone_id
    union all by name
    select
        'request' as kind, request_id as item_id, title, category, unit_code, received_at as started_at, source,
        source || ':' || request_id as source_record
    from fct_request
    semi join keys on keys.kind = 'request' and keys.item_id = request_id
),
described as (
    select
        c.*,
        f.title, f.category, f.source, f.source_record, coalesce(uc.calendar_id, 'default') as calendar_id,
        f.started_at, f.planned_start, f.planned_date, f.progress_pct, local_ts(f.started_at, $off_us) as start_local,
        u.decided_by as decision_by, u.decided_at as decision_at, u.note as decision_note,
        u.decision_type
    from changed as c
    join facts as f on f.kind = c.kind and f.item_id = c.item_id
    left join unit_calendar as uc on uc.unit_code = f.unit_code
    left join user_decision as u on u.decision_id = c.decision_id
),
words as (
    select
        *,
        fmt_wd(allowed_s) as allowed_t,
        fmt_wd(used_s) as used_t,
        fmt_wd(to_due_s) as to_due_t,
        fmt_wd(late_s) as late_t,
        fmt_wd(paused_s) as paused_t,
        fmt_time(local_ts(due_at, $off_us)) as due_t,
        fmt_time(local_ts(original_due_at, $off_us)) as orig_t,
        fmt_time(local_ts(done_at, $off_us)) as done_t,
        fmt_time(start_local) as start_t,
        round(hours_to_due_s / 3600.0, 1)::decimal(18, 1)::varchar as hours_t,
        round(planned_pct)::bigint::varchar as planned_t,
        round(progress_pct)::bigint::varchar as progress_t,
        round(behind)::bigint::varchar as behind_t,
        planned_start::varchar as plan_start_t,
        planned_date::varchar as plan_end_t
    from described
),
heads as (
    select
        *,
        case raw_reason_code
            when 'overdue' then '逾期 ' || late_t || ' 个工作日'
                || case escalation when 'blue' then '（督办：蓝色提醒）' when 'orange' then '（督办：橙色督办）'
                    when 'red' then '（督办：红色通报）' else '' end
            when 'due_soon' then '临近时限：剩余 ' || to_due_t || ' 个工作日'
                || case when yellow_unit = 'workhours' then '（' || hours_t || ' 个工作小时）' else '' end
            when 'paused' then '挂起中，计时暂停：剩余 ' || to_due_t || ' 个工作日'
            when 'closed_on_time' then case when kind = 'milestone' then '按期完成' else '按期办结' end
                || '（' || done_t || '）'
            when 'closed_late' then case when kind = 'milestone' then '逾期完成' else '逾期办结' end
                || '，超时 ' || late_t || ' 个工作日（' || done_t || '）'
            when 'behind_plan' then '落后序时进度 ' || behind_t || ' 个百分点'
            when 'not_started' then '尚未启动：计划 ' || plan_start_t || ' 开始，进度仍为 0'
            when 'no_progress' then '无法判断：未报送完成进度（不计为绿灯）'
            when 'no_deadline' then '无法判断：来源未给出办理时限或截止时间，规则也未设默认时限（不计为绿灯）'
            when 'outside_calendar' then '无法判断：日期超出可计算的日历范围（不计为绿灯）'
            when 'recovering' then '由红灯恢复中，暂显示黄灯（红灯后满 ' || $recovery_hold_wd_t || ' 个工作日'
                || case when kind = 'milestone' and $recovery_until_gap_closed then '且补齐序时进度差距' else '' end
                || '方转绿）：剩余 ' || to_due_t || ' 个工作日'
            when 'stale_source' then '数据源 ' || source || ' 未按时更新，暂不判为绿灯：剩余 ' || to_due_t || ' 个工作日'
            else case when kind = 'milestone' then '按序时进度推进' else '按期推进' end
                || '：剩余 ' || to_due_t || ' 个工作日'
        end as head_zh,
        case raw_reason_code
            when 'overdue' then 'Overdue by ' || late_t || ' working days'
                || case escalation when 'blue' then ' (supervision: blue reminder)'
                    when 'orange' then ' (supervision: orange notice)'
                    when 'red' then ' (supervision: red reprimand)' else '' end
            when 'due_soon' then 'Due soon: ' || to_due_t || ' working days left'
                || case when yellow_unit = 'workhours' then ' (' || hours_t || ' office hours)' else '' end
            when 'paused' then 'Suspended, clock paused: ' || to_due_t || ' working days left'
            when 'closed_on_time' then case when kind = 'milestone' then 'Completed' else 'Closed' end
                || ' on time (' || done_t || ')'
            when 'closed_late' then case when kind = 'milestone' then 'Completed' else 'Closed' end
                || ' late by ' || late_t || ' working days (' || done_t || ')'
            when 'behind_plan' then behind_t || ' percentage points behind the time-proportional plan'
            when 'not_started' then 'Not started: planned to start ' || plan_start_t || ', progress still 0'
            when 'no_progress' then 'Cannot judge: no progress reported (never counted as green)'
            when 'no_deadline' then 'Cannot judge: the source gives no time limit or due time and the rule sets '
                || 'no default (never counted as green)'
            when 'outside_calendar' then 'Cannot judge: dates outside the calendar that can be computed '
                || '(never counted as green)'
            when 'recovering' then 'Recovering from red, shown yellow (until ' || $recovery_hold_wd_t
                || ' working days after the last red'
                || case when kind = 'milestone' and $recovery_until_gap_closed
                    then ' and the gap to plan is made up' else '' end
                || '): ' || to_due_t || ' working days left'
            when 'stale_source' then 'Source ' || source || ' is not up to date, so not green: ' || to_due_t
                || ' working days left'
            else case when kind = 'milestone' then 'On plan' else 'On track' end
                || ': ' || to_due_t || ' working days left'
        end as head_en
    from words
),
clauses as (
    select
        *,
        case
            when raw_reason_code in ('no_deadline', 'outside_calendar') then null
            when kind = 'milestone' then
                '计划 ' || coalesce(plan_start_t, '（未给开始日期）') || ' 至 ' || plan_end_t
                || case when extended then '（已延期至 ' || due_t || '）' else '' end
                || '；序时进度 ' || coalesce(planned_t || '%', '—') || '，实际进度 ' || coalesce(progress_t || '%', '未报送')
                || '；已用 ' || coalesce(used_t, '—') || ' / ' || coalesce(allowed_t, '—') || ' 个工作日'
            else
                '受理 ' || start_t || '，'
                || case deadline_basis when 'source_limit' then '来源时限 ' || limit_used || ' 个工作日'
                    when 'rule_limit' then '规则默认时限 ' || limit_used || ' 个工作日' else '来源给定截止时间' end
                || '，截止 ' || due_t
                || case when extended then '（已延期，原截止 ' || orig_t || '）' else '' end
                || '；已用 ' || used_t || ' / ' || allowed_t || ' 个工作日，剩余 ' || to_due_t
                || case when paused_s > 0 then '；挂起 ' || paused_t || ' 个工作日不计时' else '' end
        end as clock_zh,
        case
            when raw_reason_code in ('no_deadline', 'outside_calendar') then null
            when kind = 'milestone' then
                'Planned ' || coalesce(plan_start_t, '(no start date)') || ' to ' || plan_end_t
                || case when extended then ' (extended to ' || due_t || ')' else '' end
                || '; planned progress ' || coalesce(planned_t || '%', '—') || ', reported '
                || coalesce(progress_t || '%', 'none')
                || '; used ' || coalesce(used_t, '—') || ' of ' || coalesce(allowed_t, '—') || ' working days'
            else
                'Received ' || start_t || ', '
                || case deadline_basis when 'source_limit' then 'time limit ' || limit_used || ' working days (source)'
                    when 'rule_limit' then 'default time limit ' || limit_used || ' working days (rule)'
                    else 'due time given by the source' end
                || ', due ' || due_t
                || case when extended then ' (extended; originally ' || orig_t || ')' else '' end
                || '; used ' || used_t || ' of ' || allowed_t || ' working days, ' || to_due_t || ' left'
                || case when paused_s > 0 then '; ' || paused_t || ' working days suspended, not counted' else '' end
        end as clock_en
    from heads
),
explained as (
    select
        *,
        concat_ws('。', head_zh, clock_zh, rule_zh,
            case calendar_basis
                when 'assumed' then '注意：所涉日期尚无官方节假日安排，工作日暂按周一至周五推定'
                when 'local' then '工作日含本地调整（config/calendar.toml）' end,
            '来源记录 ' || source_record) || '。' as raw_zh,
        concat_ws('. ', head_en, clock_en, rule_en,
            case calendar_basis
                when 'assumed' then 'Note: no official holiday calendar is known yet for some of these dates; '
                    || 'working days there are assumed to be Monday to Friday'
                when 'local' then 'Working days include local changes (config/calendar.toml)' end,
            'Source record ' || source_record) || '.' as raw_en
    from clauses
),
final as (
    select
        kind, item_id, title, category, unit_code, person_id, started_at, due_at, original_due_at, done_at, is_open,
        status, raw_status, reason_code,
        case when decision_id is null then raw_zh else
            case decision_type when 'appeal_upheld' then '申诉复核成立' else '已容错免责' end
            || '（决定 ' || decision_id || coalesce('，' || decision_by, '')
            || coalesce('，' || strftime(local_ts(decision_at, $off_us), '%Y-%m-%d'), '')
            || coalesce('：' || decision_note, '') || '），不计入统计；原灯为'
            || case raw_status when 'red' then '红灯' when 'yellow' then '黄灯' when 'green' then '绿灯'
                else '无法判断' end || '：' || raw_zh
        end as reason_zh,
        case when decision_id is null then raw_en else
            case decision_type when 'appeal_upheld' then 'Appeal upheld' else 'Exempted (error tolerance)' end
            || ' (decision ' || decision_id || coalesce(', ' || decision_by, '')
            || coalesce(', ' || strftime(local_ts(decision_at, $off_us), '%Y-%m-%d'), '')
            || coalesce(': ' || decision_note, '') || '), not counted; the light was ' || raw_status || ': ' || raw_en
        end as reason_en,
        rule_id,
        $rule_version as rule_version,
        allowed_s / 86400.0 as wd_allowed,
        used_s / 86400.0 as wd_used,
        to_due_s / 86400.0 as wd_remaining,
        calendar_basis, source, source_record, stale,
        $as_of as as_of,
        $run_id as run_id,
        raw_reason_code,
        late_s / 86400.0 as wd_late,
        paused_s / 86400.0 as wd_paused,
        escalation, decision_id, progress_pct, planned_pct, last_red_at, calendar_id, recovering, light_hash
    from explained
)
select * from final
