-- one row per tracked item: its light as of $as_of and the clock behind it (explanations are written later,
-- only for the rows that changed). Few stages on purpose: each stage is one pass over millions of rows.
create or replace temp table light_new as
with extension as (
    -- The latest extension approved by $as_of sets the deadline; the original stays on record.
    select kind, item_id, arg_max(new_due_at, approved_at) as ext_due_at, max(approved_at) as ext_approved_at
    from fct_extension
    where approved_at <= $as_of
    group by kind, item_id
),
decisions as (
    -- Exemptions and upheld appeals in force at $as_of.
    select
        kind, item_id,
        arg_max({'id': decision_id, 'type': decision_type},
                coalesce(decided_at, timestamptz '1970-01-01 00:00:00+00')) as decision
    from user_decision
    where decision_type in ('exempted', 'appeal_upheld')
        and (decided_at is null or decided_at <= $as_of)
        and (revoked_at is null or revoked_at > $as_of)
    group by kind, item_id
),
now_clock as (
    select
        c.calendar_id,
        work_s(c.workday_seq, c.is_workday, local_ts($as_of, $off_us)) as w_now,
        office_s_at(c.office_s_before, c.is_workday, m.elapsed_s, m.in_office, local_ts($as_of, $off_us)) as h_now,
        c.assumed_seq as now_assumed_seq,
        c.local_seq as now_local_seq
    from calendar_day as c
    join office_minute as m
        on m.calendar_id = c.calendar_id
        and m.minute_of_day = hour(local_ts($as_of, $off_us)) * 60 + minute(local_ts($as_of, $off_us))
    where c.day = local_ts($as_of, $off_us)::date
),
clocked as (
    -- Every join that needs only the facts: rules, extension, pauses, decisions, the previous light, and the
    -- calendar days of the start, the end, the source's due time and the extended due time.
    select
        i.kind, i.item_id, i.unit_code, i.person_id, i.calendar_id, i.is_open, i.started_at, i.done_at,
        i.due_src, i.planned_start, i.progress_pct, i.satisfaction, i.reopened_count, i.source,
        i.fact_hash,
        r.rule_no, r.rule_hash, r.yellow_unit, r.yellow_value, r.progress_yellow_behind, r.progress_red_behind,
        r.progress_clock, r.not_started_yellow_after_days, r.not_started_red_after_months,
        e.ext_due_at,
        e.ext_due_at is not null as extended,
        coalesce(p.paused_s, 0) as paused_s,
        coalesce(p.paused_after_ext_s, 0) as paused_after_ext_s,
        coalesce(p.paused_now, false) as paused_now,
        d.decision,
        coalesce(s.is_stale, false) as source_stale,
        -- The last run's light is the memory of anti-flapping, unless it was computed for a later time (a replay).
        prev.light_hash as prev_hash,
        case when prev.as_of <= $as_of then prev.status::light_status end as prev_status,
        case when prev.as_of <= $as_of then prev.raw_status end as prev_raw_status,
        case when prev.as_of <= $as_of then coalesce(prev.recovering, false) else false end as prev_recovering,
        case when prev.as_of <= $as_of then prev.last_red_at end as prev_last_red_at,
        case when prev.as_of <= $as_of then prev.as_of end as prev_as_of,
        work_s(lr.workday_seq, lr.is_workday, local_ts(coalesce(prev.last_red_at, prev.as_of), $off_us))
            as w_last_red,
        -- A time limit starts counting after the day of receipt; a milestone's plan includes its first day.
        (case when i.kind = 'milestone' then cs.workday_seq - cs.is_workday::integer else cs.workday_seq end)::bigint
            * 86400 as w_start,
        cs.assumed_seq - (cs.basis = 'assumed')::integer as start_assumed_before,
        cs.local_seq - (cs.basis = 'local')::integer as start_local_before,
        work_s(cd.workday_seq, cd.is_workday, local_ts(i.done_clock_at, $off_us)) as w_done,
        coalesce(cd.assumed_seq, n.now_assumed_seq) as stop_assumed_seq,
        coalesce(cd.local_seq, n.now_local_seq) as stop_local_seq,
        n.w_now,
        n.h_now,
        coalesce(w_done, n.w_now) as w_stop,
        -- Which deadline applies: the source's time limit, else the source's due time, else the rule's limit.
        coalesce(i.limit_src, case when i.due_src is null then r.limit_workdays end) as limit_used,
        case
            when i.limit_src is not null then 'source_limit'::light_deadline_basis
            when i.due_src is not null then 'source_due'::light_deadline_basis
            when r.limit_workdays is not null then 'rule_limit'::light_deadline_basis
        end as deadline_basis,
        case
            when deadline_basis = 'source_due'
                then work_s(cu.workday_seq, cu.is_workday, local_ts(i.due_src, $off_us)) + coalesce(p.paused_s, 0)
            else w_start + limit_used::bigint * 86400 + coalesce(p.paused_s, 0)
        end as w_due_orig,
        case
            when extended then work_s(ce.workday_seq, ce.is_workday, local_ts(e.ext_due_at, $off_us))
                + coalesce(p.paused_after_ext_s, 0)
            else w_due_orig
        end as w_due
    from light_items($as_of, $off_us) as i
    join light_rule_applied as r
        on r.kind = i.kind and r.item_category = coalesce(i.category, '') and r.item_unit = i.unit_code
        and r.item_job = coalesce(i.job_category, '')
    left join extension as e on e.kind = i.kind and e.item_id = i.item_id
    left join light_pause as p on p.kind = i.kind and p.item_id = i.item_id
    left join decisions as d on d.kind = i.kind and d.item_id = i.item_id
    left join light_stale as s on s.source = i.source
    left join item_light as prev on prev.kind = i.kind and prev.item_id = i.item_id
    left join now_clock as n on n.calendar_id = i.calendar_id
    left join calendar_day as cs
        on cs.calendar_id = i.calendar_id and cs.day = local_ts(i.started_at, $off_us)::date
    left join calendar_day as cd
        on cd.calendar_id = i.calendar_id and cd.day = local_ts(i.done_clock_at, $off_us)::date and not i.is_open
    left join calendar_day as cu
        on cu.calendar_id = i.calendar_id and cu.day = local_ts(i.due_src, $off_us)::date
    left join calendar_day as ce
        on ce.calendar_id = i.calendar_id and ce.day = local_ts(e.ext_due_at, $off_us)::date
    left join calendar_day as lr
        on lr.calendar_id = i.calendar_id
        and lr.day = local_ts(coalesce(prev.last_red_at, prev.as_of), $off_us)::date
),
dated as (
    -- Back from working seconds to a time: the working day whose count is reached, at the time of day left over.
    select
        t.*,
        case
            when t.w_due_orig is null then null
            when t.deadline_basis = 'source_due' and t.paused_s = 0 then t.due_src
            when io.day is null then null
            else greatest(
                instant(io.day::timestamp + to_seconds(t.w_due_orig - (io.workday_seq - 1)::bigint * 86400), $off_us),
                -- "The same day" (a limit of 0) ends with the day of receipt, even a day off.
                case when t.deadline_basis <> 'source_due'
                    then instant((local_ts(t.started_at, $off_us)::date + 1)::timestamp, $off_us) end)
        end as original_due_at,
        case
            when t.paused_after_ext_s = 0 then t.ext_due_at
            when ie.day is not null
                then instant(ie.day::timestamp + to_seconds(t.w_due - (ie.workday_seq - 1)::bigint * 86400), $off_us)
        end as extended_due_at
    from clocked as t
    left join calendar_day as io
        on io.calendar_id = t.calendar_id and io.is_workday and io.workday_seq = (t.w_due_orig + 86399) // 86400
    left join calendar_day as ie
        on ie.calendar_id = t.calendar_id and ie.is_workday and ie.workday_seq = (t.w_due + 86399) // 86400
        and t.extended and t.paused_after_ext_s > 0
),
due as (
    select
        *,
        case when extended then extended_due_at else original_due_at end as due_at,
        -- The last second before the deadline names its day (a deadline at 24:00 belongs to that day).
        local_ts(case when extended then extended_due_at else original_due_at end - interval 1 second, $off_us)
            as due_last_local
    from dated
),
measured as (
    -- Each stage computes from columns of the stage before, so that no expression is evaluated twice.
    select
        d.*,
        office_s_at(hd.office_s_before, hd.is_workday, hm.elapsed_s, hm.in_office, d.due_last_local)
            + (hd.is_workday and hm.in_office)::integer as h_due,
        case
            when greatest(hd.assumed_seq, d.stop_assumed_seq)
                - coalesce(d.start_assumed_before, hd.assumed_seq - (hd.basis = 'assumed')::integer) > 0
                then 'assumed'::light_calendar_basis
            when greatest(hd.local_seq, d.stop_local_seq)
                - coalesce(d.start_local_before, hd.local_seq - (hd.basis = 'local')::integer) > 0
                then 'local'::light_calendar_basis
            else 'official'::light_calendar_basis
        end as calendar_basis,
        d.w_due - d.w_start - d.paused_s as allowed_s,
        greatest(0, d.w_stop - d.w_start - d.paused_s) as used_s,
        greatest(0, d.w_stop - d.w_due) as late_s,
        -- Time-proportional planned progress (序时进度) by whole days, today included: it moves once a day.
        case
            when d.kind = 'milestone' and d.planned_start is not null and d.due_at > d.started_at then
                100.0 * least(1.0, greatest(0.0, case
                    when d.progress_clock = 'workdays'
                        then (ceil((d.w_due - d.w_start - d.paused_s) / 86400.0) - ceil((d.w_due - d.w_now) / 86400.0))
                            / nullif(ceil((d.w_due - d.w_start - d.paused_s) / 86400.0), 0)
                    else (date_diff('day', d.planned_start, local_ts($as_of, $off_us)::date) + 1)::double
                        / (date_diff('day', d.planned_start, d.due_last_local::date) + 1)
                end))
        end as planned_pct,
        d.kind = 'milestone' and d.progress_pct <= 0 and d.started_at is not null and $as_of >= d.started_at
            as not_started
    from due as d
    left join calendar_day as hd on hd.calendar_id = d.calendar_id and hd.day = d.due_last_local::date
    left join office_minute as hm
        on hm.calendar_id = d.calendar_id
        and hm.minute_of_day = hour(d.due_last_local) * 60 + minute(d.due_last_local)
),
judged as (
    select
        *,
        planned_pct - progress_pct as behind,
        case yellow_unit
            when 'workdays' then w_due - w_now <= yellow_value * 86400
            when 'workhours' then h_due - h_now <= yellow_value * 3600
            when 'share' then allowed_s <= 0 or w_due - w_now <= yellow_value * allowed_s
        end as due_soon
    from measured
),
lit as (
    select
        *,
        case
            when deadline_basis is null then 1
            when due_at is null or w_due is null or w_now is null
                or (kind <> 'milestone' and w_start is null) or (not is_open and w_done is null) then 2
            when not is_open and w_done > w_due then 3
            when not is_open then 4
            when w_now > w_due then 5
            when not_started
                and $as_of >= instant(planned_start + to_months(not_started_red_after_months), $off_us) then 6
            when behind > progress_red_behind then 7
            when behind >= progress_yellow_behind then 8
            when not_started
                and $as_of >= instant(planned_start + to_days(not_started_yellow_after_days), $off_us) then 9
            when due_soon and coalesce(progress_pct, 0) < 100 then case when paused_now then 10 else 11 end
            when kind = 'milestone' and progress_pct is null and (started_at is null or $as_of >= started_at)
                then 12
            when paused_now then 13
            else 14
        end as light_no
    from judged
),
held as (
    select
        *,
        -- Anti-flapping: after red, an open item stays at most yellow until the hold has passed and, for a
        -- milestone, the gap to the planned progress is made up.
        coalesce($recovery_enabled and is_open and light_no not in (3, 5, 6, 7)
            and (prev_raw_status = 'red' or prev_recovering)
            and (w_now - w_last_red < $recovery_hold_wd * 86400
                 or (kind = 'milestone' and $recovery_until_gap_closed and behind > 0)), false) as recovering,
        -- The memory stays unchanged while the item is red (so its row does not change with every run):
        -- the time it was last seen red is written when it stops being red. Closed items need none.
        case
            when not is_open or light_no in (3, 5, 6, 7) then null
            when prev_raw_status = 'red' then prev_as_of
            else prev_last_red_at
        end as last_red_at,
        is_open and source_stale as stale
    from lit
),
raw as (
    select
        *,
        -- Shown clock values are whole working days, the current one included (as time limits are spoken of:
        -- "2 working days left", "overdue by 3 working days"); so they change when a working day begins, not
        -- with every run. Used time follows from allowed and remaining time.
        ceil(allowed_s / 86400.0) * 86400 as allowed_r,
        case
            when w_due >= w_stop then ceil((w_due - w_stop) / 86400.0)
            else -ceil((w_stop - w_due) / 86400.0)
        end * 86400 as to_due_r,
        -- On the day of receipt the clock has not started: the rest of that day is extra time, nothing is used.
        greatest(0, ceil(allowed_s / 86400.0) * 86400 - to_due_r) as used_r,
        -- Pauses to a tenth of a working day.
        round(paused_s / 8640.0) * 8640 as paused_r,
        greatest(-to_due_r, 0) as late_r,
        -- Office hours left are shown only when they make the item yellow.
        case when light_no = 11 and yellow_unit = 'workhours' then round((h_due - h_now) / 360.0) * 360 end
            as hours_r,
        case
            when recovering and light_no in (4, 13, 14) then 15
            -- Missing or stale data is never green.
            when stale and light_no in (4, 13, 14) then 16
            else light_no
        end as raw_no
    from held
),
final as (
    select
        kind, item_id, unit_code, person_id, rule_no, is_open, done_at, due_at, original_due_at,
        case when decision is not null then 'exempted'::light_status else light_of(raw_no).s end as status,
        light_of(raw_no).s as raw_status,
        coalesce(decision.type::light_reason, light_of(raw_no).c) as reason_code,
        light_of(raw_no).c as raw_reason_code,
        calendar_basis, stale,
        case
            when decision is not null or not is_open or raw_no <> 5 then 'none'::light_escalation
            when late_s > $esc_red_over * 86400 then 'red'::light_escalation
            when late_s > $esc_orange_over * 86400 then 'orange'::light_escalation
            when late_s > $esc_blue_over * 86400 then 'blue'::light_escalation
            else 'none'::light_escalation
        end as escalation,
        decision.id as decision_id,
        -- Values are kept as explanations show them: an open item's row changes when a shown value changes.
        case when is_open then round(planned_pct) end as planned_pct,
        case when is_open then round(behind) end as behind,
        last_red_at, recovering, deadline_basis, limit_used, extended,
        allowed_r as allowed_s,
        used_r as used_s,
        late_r as late_s,
        paused_r as paused_s,
        to_due_r as to_due_s,
        hours_r as hours_to_due_s,
        satisfaction, reopened_count, prev_status,
        -- Everything the stored row and its explanation depend on, except the time of the run itself.
        hash(fact_hash, rule_hash, decision, raw_no, unit_code, person_id, started_at, due_at, original_due_at,
             done_at, is_open, calendar_basis, source, stale, progress_pct, round(planned_pct), round(behind),
             last_red_at, calendar_id, recovering, deadline_basis, limit_used, allowed_r, used_r, late_r, paused_r,
             to_due_r, hours_r) as light_hash,
        prev_hash
    from raw
)
select
    * exclude (prev_hash),
    light_hash is distinct from prev_hash as changed,
    prev_hash is not null as had_light,
    -- A new item's first light is a change of status too; a light kept from a later time (a replay) is not.
    coalesce(status <> prev_status, prev_hash is null) as status_changed
from final
