-- one row per item: its light after anti-flapping, stale sources and exemptions, with the explanation
create or replace temp table light_final as
with due as (
    select * from light_due
),
progress as (
    select
        *,
        case
            when kind = 'milestone' and started_at is not null and due_at > started_at then
                100.0 * least(1.0, greatest(0.0, case
                    when progress_clock = 'workdays' then (w_now - w_start - paused_s)::double / nullif(allowed_s, 0)
                    else date_diff('second', started_at, $as_of)::double / date_diff('second', started_at, due_at)
                end))
        end as planned_pct
    from due
),
judged as (
    select
        *,
        planned_pct - progress_pct as behind,
        kind = 'milestone' and progress_pct <= 0 and started_at is not null and $as_of >= started_at as not_started,
        case yellow_unit
            when 'workdays' then w_due - w_now <= yellow_value * 86400
            when 'workhours' then h_due - h_now <= yellow_value * 3600
            when 'share' then allowed_s <= 0 or w_due - w_now <= yellow_value * allowed_s
        end as due_soon
    from progress
),
computed as (
    select
        *,
        case
            when deadline_basis is null then {'s': 'unknown', 'c': 'no_deadline'}
            when due_at is null or w_due is null or w_now is null or (kind <> 'milestone' and w_start is null)
                or (not is_open and w_done is null) then {'s': 'unknown', 'c': 'outside_calendar'}
            when not is_open and w_done > w_due then {'s': 'red', 'c': 'closed_late'}
            when not is_open then {'s': 'green', 'c': 'closed_on_time'}
            when w_now > w_due then {'s': 'red', 'c': 'overdue'}
            when not_started and $as_of >= timezone($tz, planned_start + to_months(not_started_red_after_months))
                then {'s': 'red', 'c': 'not_started'}
            when behind > progress_red_behind then {'s': 'red', 'c': 'behind_plan'}
            when behind >= progress_yellow_behind then {'s': 'yellow', 'c': 'behind_plan'}
            when not_started and $as_of >= timezone($tz, planned_start + to_days(not_started_yellow_after_days))
                then {'s': 'yellow', 'c': 'not_started'}
            when due_soon and coalesce(progress_pct, 0) < 100
                then {'s': 'yellow', 'c': case when paused_now then 'paused' else 'due_soon' end}
            when kind = 'milestone' and progress_pct is null and (started_at is null or $as_of >= started_at)
                then {'s': 'unknown', 'c': 'no_progress'}
            when paused_now then {'s': 'green', 'c': 'paused'}
            else {'s': 'green', 'c': 'on_track'}
        end as light
    from judged
),
previous as (
    -- The last run's light of the same item, unless it was computed for a later time (a replay).
    select kind, item_id, status, raw_status, recovering, last_red_at
    from item_light
    where as_of <= $as_of
),
remembered as (
    select
        c.*,
        p.status as prev_status,
        p.raw_status as prev_raw_status,
        coalesce(p.recovering, false) as prev_recovering,
        p.last_red_at as prev_last_red_at,
        work_s(lr.workday_seq, lr.is_workday, lr.day, timezone($tz, p.last_red_at)) as w_last_red
    from computed as c
    left join previous as p on p.kind = c.kind and p.item_id = c.item_id
    left join calendar_day as lr
        on lr.calendar_id = c.calendar_id and lr.day = timezone($tz, p.last_red_at)::date
),
recovery as (
    select
        *,
        -- Anti-flapping: after red, an open item stays at most yellow until the hold has passed and, for a
        -- milestone, the gap to the planned progress is made up.
        coalesce($recovery_enabled and is_open and light.s <> 'red'
            and (prev_raw_status = 'red' or prev_recovering)
            and (w_now - w_last_red < $recovery_hold_wd * 86400
                 or (kind = 'milestone' and $recovery_until_gap_closed and behind > 0)), false) as recovering,
        case when light.s = 'red' then $as_of else prev_last_red_at end as last_red_at
    from remembered
),
staled as (
    select
        r.*,
        coalesce(s.is_stale, false) as stale,
        case
            when r.recovering and r.light.s = 'green' then {'s': 'yellow', 'c': 'recovering'}
            -- Missing or stale data is never green.
            when coalesce(s.is_stale, false) and r.is_open and r.light.s = 'green'
                then {'s': 'unknown', 'c': 'stale_source'}
            else r.light
        end as raw_light
    from recovery as r
    left join light_stale as s on s.source = r.source
),
decisions as (
    select
        kind, item_id,
        arg_max({'id': decision_id, 'type': decision_type, 'by': decided_by, 'at': decided_at, 'note': note},
                coalesce(decided_at, timestamptz '1970-01-01 00:00:00+00')) as decision
    from user_decision
    where decision_type in ('exempted', 'appeal_upheld')
        and (decided_at is null or decided_at <= $as_of)
        and (revoked_at is null or revoked_at > $as_of)
    group by kind, item_id
),
decided as (
    select
        s.*,
        d.decision,
        case when d.decision is not null then 'exempted' else s.raw_light.s end as status,
        case
            when d.decision is not null or not s.is_open or s.raw_light.c <> 'overdue' then 'none'
            when s.late_s > $esc_red_over * 86400 then 'red'
            when s.late_s > $esc_orange_over * 86400 then 'orange'
            when s.late_s > $esc_blue_over * 86400 then 'blue'
            else 'none'
        end as escalation
    from staled as s
    left join decisions as d on d.kind = s.kind and d.item_id = s.item_id
),
words as (
    select
        *,
        fmt_wd(allowed_s) as allowed_t,
        fmt_wd(used_s) as used_t,
        fmt_wd(w_due - w_stop) as to_due_t,
        fmt_wd(late_s) as late_t,
        fmt_wd(paused_s) as paused_t,
        fmt_time(timezone($tz, due_at)) as due_t,
        fmt_time(timezone($tz, original_due_at)) as orig_t,
        fmt_time(timezone($tz, done_at)) as done_t,
        fmt_time(start_local) as start_t,
        printf('%.1f', round((h_due - h_now) / 3600.0, 1) + 0.0) as hours_left_t,
        format('{:g}', yellow_value) as yv_t,
        format('{:.0f}', planned_pct) as planned_t,
        format('{:.0f}', progress_pct) as progress_t,
        format('{:.0f}', behind) as behind_t,
        case when assumed_days > 0 then 'assumed' when local_days > 0 then 'local' else 'official' end
            as calendar_basis
    from decided
),
phrases as (
    select
        *,
        case yellow_unit
            when 'workdays' then '剩余不超过 ' || yv_t || ' 个工作日为黄'
            when 'workhours' then '剩余不超过 ' || yv_t || ' 个工作小时为黄'
            else '剩余时间不超过时限的 ' || format('{:g}', yellow_value * 100) || '% 为黄'
        end as threshold_zh,
        case yellow_unit
            when 'workdays' then 'yellow within ' || yv_t || ' working days'
            when 'workhours' then 'yellow within ' || yv_t || ' office hours'
            else 'yellow within the last ' || format('{:g}', yellow_value * 100) || '% of the allowed time'
        end as threshold_en,
        case deadline_basis
            when 'source_limit' then '来源时限 ' || limit_used || ' 个工作日'
            when 'rule_limit' then '规则默认时限 ' || limit_used || ' 个工作日'
            when 'source_due' then '来源给定截止时间'
        end as basis_zh,
        case deadline_basis
            when 'source_limit' then 'time limit ' || limit_used || ' working days (source)'
            when 'rule_limit' then 'default time limit ' || limit_used || ' working days (rule)'
            when 'source_due' then 'due time given by the source'
        end as basis_en,
        case escalation
            when 'blue' then '（督办：蓝色提醒）' when 'orange' then '（督办：橙色督办）' when 'red' then '（督办：红色通报）'
            else '' end as escalation_zh,
        case escalation
            when 'blue' then ' (supervision: blue reminder)' when 'orange' then ' (supervision: orange notice)'
            when 'red' then ' (supervision: red reprimand)' else '' end as escalation_en
    from words
),
heads as (
    select
        *,
        case light.c
            when 'overdue' then '逾期 ' || late_t || ' 个工作日' || escalation_zh
            when 'due_soon' then '临近时限：剩余 ' || to_due_t || ' 个工作日'
                || case when yellow_unit = 'workhours' then '（' || hours_left_t || ' 个工作小时）' else '' end
            when 'paused' then '挂起中，计时暂停：剩余 ' || to_due_t || ' 个工作日'
            when 'on_track' then case when kind = 'milestone' then '按序时进度推进' else '按期推进' end
                || '：剩余 ' || to_due_t || ' 个工作日'
            when 'closed_on_time' then case when kind = 'milestone' then '按期完成' else '按期办结' end
                || '（' || done_t || '）'
            when 'closed_late' then case when kind = 'milestone' then '逾期完成' else '逾期办结' end
                || '，超时 ' || late_t || ' 个工作日（' || done_t || '）'
            when 'behind_plan' then '落后序时进度 ' || behind_t || ' 个百分点'
            when 'not_started' then '尚未启动：计划 ' || strftime(planned_start, '%Y-%m-%d') || ' 开始，进度仍为 0'
            when 'no_progress' then '无法判断：未报送完成进度（不计为绿灯）'
            when 'no_deadline' then '无法判断：来源未给出办理时限或截止时间，规则也未设默认时限（不计为绿灯）'
            when 'outside_calendar' then '无法判断：日期超出可计算的日历范围（不计为绿灯）'
        end as head_zh,
        case light.c
            when 'overdue' then 'Overdue by ' || late_t || ' working days' || escalation_en
            when 'due_soon' then 'Due soon: ' || to_due_t || ' working days left'
                || case when yellow_unit = 'workhours' then ' (' || hours_left_t || ' office hours)' else '' end
            when 'paused' then 'Suspended, clock paused: ' || to_due_t || ' working days left'
            when 'on_track' then case when kind = 'milestone' then 'On plan' else 'On track' end
                || ': ' || to_due_t || ' working days left'
            when 'closed_on_time' then case when kind = 'milestone' then 'Completed' else 'Closed' end
                || ' on time (' || done_t || ')'
            when 'closed_late' then case when kind = 'milestone' then 'Completed' else 'Closed' end
                || ' late by ' || late_t || ' working days (' || done_t || ')'
            when 'behind_plan' then behind_t || ' percentage points behind the time-proportional plan'
            when 'not_started' then 'Not started: planned to start ' || strftime(planned_start, '%Y-%m-%d')
                || ', progress still 0'
            when 'no_progress' then 'Cannot judge: no progress reported (never counted as green)'
            when 'no_deadline' then 'Cannot judge: the source gives no time limit or due time and the rule sets '
                || 'no default (never counted as green)'
            when 'outside_calendar' then 'Cannot judge: dates outside the calendar that can be computed '
                || '(never counted as green)'
        end as head_en
    from phrases
),
clauses as (
    select
        *,
        case
            when light.c in ('no_deadline', 'outside_calendar') then null
            when kind = 'milestone' then
                '计划 ' || coalesce(strftime(planned_start, '%Y-%m-%d'), '（未给开始日期）') || ' 至 '
                || strftime(planned_date, '%Y-%m-%d')
                || case when ext_due_at is not null then '（已延期至 ' || due_t || '）' else '' end
                || '；序时进度 ' || coalesce(planned_t || '%', '—') || '，实际进度 ' || coalesce(progress_t || '%', '未报送')
                || '；已用 ' || coalesce(used_t, '—') || ' / ' || coalesce(allowed_t, '—') || ' 个工作日'
            else
                '受理 ' || start_t || '，' || basis_zh || '，截止 ' || due_t
                || case when ext_due_at is not null then '（已延期，原截止 ' || orig_t || '）' else '' end
                || '；已用 ' || used_t || ' / ' || allowed_t || ' 个工作日，剩余 ' || to_due_t
                || case when paused_s > 0 then '；挂起 ' || paused_t || ' 个工作日不计时' else '' end
        end as clock_zh,
        case
            when light.c in ('no_deadline', 'outside_calendar') then null
            when kind = 'milestone' then
                'Planned ' || coalesce(strftime(planned_start, '%Y-%m-%d'), '(no start date)') || ' to '
                || strftime(planned_date, '%Y-%m-%d')
                || case when ext_due_at is not null then ' (extended to ' || due_t || ')' else '' end
                || '; planned progress ' || coalesce(planned_t || '%', '—') || ', reported '
                || coalesce(progress_t || '%', 'none')
                || '; used ' || coalesce(used_t, '—') || ' of ' || coalesce(allowed_t, '—') || ' working days'
            else
                'Received ' || start_t || ', ' || basis_en || ', due ' || due_t
                || case when ext_due_at is not null then ' (extended; originally ' || orig_t || ')' else '' end
                || '; used ' || used_t || ' of ' || allowed_t || ' working days, ' || to_due_t || ' left'
                || case when paused_s > 0 then '; ' || paused_t || ' working days suspended, not counted' else '' end
        end as clock_en,
        '规则 ' || rule_id || '（版本 ' || $rule_version || '）：逾期为红，' || threshold_zh
            || case when kind = 'milestone' then
                '；落后序时进度 ' || format('{:g}', progress_yellow_behind) || ' 个百分点及以上为黄、超过 '
                || format('{:g}', progress_red_behind) || ' 个百分点为红；进度为 0 者计划开始 '
                || not_started_yellow_after_days || ' 天后为黄、' || not_started_red_after_months || ' 个月后为红'
                else '' end as rule_zh,
        'Rule ' || rule_id || ' (version ' || $rule_version || '): overdue is red, ' || threshold_en
            || case when kind = 'milestone' then
                '; ' || format('{:g}', progress_yellow_behind) || ' or more points behind plan is yellow, more than '
                || format('{:g}', progress_red_behind) || ' red; progress 0 is yellow '
                || not_started_yellow_after_days || ' days after the planned start and red after '
                || not_started_red_after_months || ' months'
                else '' end as rule_en,
        case calendar_basis
            when 'assumed' then '注意：所涉日期尚无官方节假日安排，工作日暂按周一至周五推定'
            when 'local' then '工作日按国家法定节假日及调休并含本地调整计算'
            else '工作日按国家法定节假日及调休计算'
        end as calendar_zh,
        case calendar_basis
            when 'assumed' then 'Note: no official holiday calendar is known yet for some of these dates; '
                || 'working days there are assumed to be Monday to Friday'
            when 'local' then 'Working days per the official calendar with local changes'
            else 'Working days per the official holiday calendar (incl. make-up working days)'
        end as calendar_en
    from heads
),
explained as (
    select
        *,
        concat_ws('。',
            case
                when raw_light.c = 'recovering' then '由红灯恢复中，暂显示黄灯（红灯后满 ' || format('{:g}', $recovery_hold_wd)
                    || ' 个工作日' || case when kind = 'milestone' and $recovery_until_gap_closed
                        then '且补齐序时进度差距' else '' end || '方转绿）；' || head_zh
                when raw_light.c = 'stale_source' then '数据源 ' || source || ' 未按时更新，暂不判为绿灯；' || head_zh
                else head_zh
            end,
            clock_zh, rule_zh, calendar_zh, '来源记录 ' || source_record) || '。' as raw_zh,
        concat_ws('. ',
            case
                when raw_light.c = 'recovering' then 'Recovering from red, shown yellow (until '
                    || format('{:g}', $recovery_hold_wd) || ' working days after the last red'
                    || case when kind = 'milestone' and $recovery_until_gap_closed
                        then ' and the gap to plan is made up' else '' end || '); ' || head_en
                when raw_light.c = 'stale_source' then 'Source ' || source || ' is not up to date, so not green; '
                    || head_en
                else head_en
            end,
            clock_en, rule_en, calendar_en, 'Source record ' || source_record) || '.' as raw_en
    from clauses
),
final as (
    select
        kind, item_id, title, category, unit_code, person_id, started_at, due_at, original_due_at, done_at, is_open,
        status,
        raw_light.s as raw_status,
        case when decision is not null then decision.type else raw_light.c end as reason_code,
        case when decision is null then raw_zh else
            case decision.type when 'appeal_upheld' then '申诉复核成立' else '已容错免责' end
            || '（决定 ' || decision.id || coalesce('，' || decision.by, '')
            || coalesce('，' || strftime(timezone($tz, decision.at), '%Y-%m-%d'), '')
            || coalesce('：' || decision.note, '') || '），不计入统计；原灯为'
            || case raw_light.s when 'red' then '红灯' when 'yellow' then '黄灯' when 'green' then '绿灯'
                else '无法判断' end || '：' || raw_zh
        end as reason_zh,
        case when decision is null then raw_en else
            case decision.type when 'appeal_upheld' then 'Appeal upheld' else 'Exempted (error tolerance)' end
            || ' (decision ' || decision.id || coalesce(', ' || decision.by, '')
            || coalesce(', ' || strftime(timezone($tz, decision.at), '%Y-%m-%d'), '')
            || coalesce(': ' || decision.note, '') || '), not counted; the light was ' || raw_light.s || ': ' || raw_en
        end as reason_en,
        rule_id,
        $rule_version as rule_version,
        allowed_s / 86400.0 as wd_allowed,
        used_s / 86400.0 as wd_used,
        (w_due - w_stop) / 86400.0 as wd_remaining,
        calendar_basis,
        source,
        source_record,
        stale,
        $as_of as as_of,
        $run_id as run_id,
        raw_light.c as raw_reason_code,
        late_s / 86400.0 as wd_late,
        paused_s / 86400.0 as wd_paused,
        escalation,
        decision.id as decision_id,
        progress_pct,
        planned_pct,
        last_red_at,
        calendar_id,
        recovering,
        -- Carried for history and rates, not stored in item_light.
        prev_status,
        satisfaction,
        reopened_count
    from explained
)
select * from final
