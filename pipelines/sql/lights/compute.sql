-- one row per tracked item: its light as of $as_of and the clock behind it (explanations are written later,
-- only for the rows that changed)
create or replace temp table light_new as
with items as (
    -- Only what the light depends on; titles and record ids travel as a fingerprint and are joined back
    -- for the rows that are written.
    select
        kind, item_id, unit_code, person_id, calendar_id, rule_key, is_open, started_at, done_at, done_clock_at,
        limit_src, due_src, planned_start, planned_date, progress_pct, satisfaction, reopened_count, source,
        hash(title, category, source_record) as fact_hash
    from light_items($as_of, $off_us)
),
extension as (
    -- The latest extension approved by $as_of sets the deadline; the original stays on record.
    select
        kind, item_id,
        arg_max(new_due_at, approved_at) as ext_due_at,
        max(approved_at) as ext_approved_at
    from fct_extension
    where approved_at <= $as_of
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
located as (
    select
        i.*,
        r.limit_workdays, r.yellow_unit, r.yellow_value, r.progress_yellow_behind, r.progress_red_behind,
        r.progress_clock, r.not_started_yellow_after_days, r.not_started_red_after_months, r.rule_no,
        r.rule_hash,
        e.ext_due_at,
        e.ext_approved_at,
        coalesce(p.paused_s, 0) as paused_s,
        coalesce(p.paused_after_ext_s, 0) as paused_after_ext_s,
        coalesce(p.paused_now, false) as paused_now,
        local_ts(i.started_at, $off_us) as start_local,
        local_ts(case when not i.is_open then i.done_clock_at end, $off_us) as done_local,
        local_ts(i.due_src, $off_us) as due_src_local,
        local_ts(e.ext_due_at, $off_us) as ext_local
    from items as i
    join light_rule_applied as r on r.kind = i.kind and r.rule_key = i.rule_key
    left join extension as e on e.kind = i.kind and e.item_id = i.item_id
    left join light_pause as p on p.kind = i.kind and p.item_id = i.item_id
),
clocked as (
    select
        l.*,
        -- A time limit starts counting after the day of receipt; a milestone's plan includes its first day.
        (case when l.kind = 'milestone' then cs.workday_seq - cs.is_workday::integer else cs.workday_seq end)::bigint
            * 86400 as w_start,
        cs.assumed_seq - (cs.basis = 'assumed')::integer as start_assumed_before,
        cs.local_seq - (cs.basis = 'local')::integer as start_local_before,
        work_s(cd.workday_seq, cd.is_workday, l.done_local) as w_done,
        cd.assumed_seq as done_assumed_seq,
        cd.local_seq as done_local_seq,
        work_s(cu.workday_seq, cu.is_workday, l.due_src_local) as w_due_src,
        work_s(ce.workday_seq, ce.is_workday, l.ext_local) as w_ext,
        n.w_now, n.h_now, n.now_assumed_seq, n.now_local_seq,
        -- Which deadline applies: the source's time limit, else the source's due time, else the rule's limit.
        coalesce(l.limit_src, case when l.due_src is null then l.limit_workdays end) as limit_used,
        case
            when l.limit_src is not null then 'source_limit'
            when l.due_src is not null then 'source_due'
            when l.limit_workdays is not null then 'rule_limit'
        end as deadline_basis
    from located as l
    left join calendar_day as cs on cs.calendar_id = l.calendar_id and cs.day = l.start_local::date
    left join calendar_day as cd on cd.calendar_id = l.calendar_id and cd.day = l.done_local::date
    left join calendar_day as cu on cu.calendar_id = l.calendar_id and cu.day = l.due_src_local::date
    left join calendar_day as ce on ce.calendar_id = l.calendar_id and ce.day = l.ext_local::date
    left join now_clock as n on n.calendar_id = l.calendar_id
),
targets as (
    select
        *,
        case
            when deadline_basis = 'source_due' then w_due_src + paused_s
            else w_start + limit_used::bigint * 86400 + paused_s
        end as w_due_orig
    from clocked
),
targets_ext as (
    select
        *,
        case when ext_due_at is not null then w_ext + paused_after_ext_s else w_due_orig end as w_due
    from targets
),
moments as (
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
                case when t.deadline_basis <> 'source_due' then instant((t.start_local::date + 1)::timestamp, $off_us) end)
        end as original_due_at,
        case
            when t.ext_due_at is null then null
            when t.paused_after_ext_s = 0 then t.ext_due_at
            when ie.day is null then null
            else instant(ie.day::timestamp + to_seconds(t.w_due - (ie.workday_seq - 1)::bigint * 86400), $off_us)
        end as extended_due_at
    from targets_ext as t
    left join calendar_day as io
        on io.calendar_id = t.calendar_id and io.is_workday and io.workday_seq = (t.w_due_orig + 86399) // 86400
    left join calendar_day as ie
        on ie.calendar_id = t.calendar_id and ie.is_workday and ie.workday_seq = (t.w_due + 86399) // 86400
        and t.ext_due_at is not null and t.paused_after_ext_s > 0
),
dated as (
    select
        *,
        case when ext_due_at is not null then extended_due_at else original_due_at end as due_at,
        -- The last second before the deadline names its day (a deadline at 24:00 belongs to that day).
        local_ts(case when ext_due_at is not null then extended_due_at else original_due_at end
            - interval 1 second, $off_us) as due_last_local
    from moments
),
measured as (
    select
        d.*,
        office_s_at(hd.office_s_before, hd.is_workday, hm.elapsed_s, hm.in_office, d.due_last_local)
            + (hd.is_workday and hm.in_office)::integer as h_due,
        greatest(hd.assumed_seq, coalesce(d.done_assumed_seq, d.now_assumed_seq))
            - coalesce(d.start_assumed_before, hd.assumed_seq - (hd.basis = 'assumed')::integer) as assumed_days,
        greatest(hd.local_seq, coalesce(d.done_local_seq, d.now_local_seq))
            - coalesce(d.start_local_before, hd.local_seq - (hd.basis = 'local')::integer) as local_days,
        coalesce(d.w_done, d.w_now) as w_stop,
        d.w_due - d.w_start - d.paused_s as allowed_s,
        greatest(0, coalesce(d.w_done, d.w_now) - d.w_start - d.paused_s) as used_s,
        greatest(0, coalesce(d.w_done, d.w_now) - d.w_due) as late_s
    from dated as d
    left join calendar_day as hd on hd.calendar_id = d.calendar_id and hd.day = d.due_last_local::date
    left join office_minute as hm
        on hm.calendar_id = d.calendar_id
        and hm.minute_of_day = hour(d.due_last_local) * 60 + minute(d.due_last_local)
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
    from measured
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
            when not_started and $as_of >= instant(planned_start + to_months(not_started_red_after_months), $off_us)
                then {'s': 'red', 'c': 'not_started'}
            when behind > progress_red_behind then {'s': 'red', 'c': 'behind_plan'}
            when behind >= progress_yellow_behind then {'s': 'yellow', 'c': 'behind_plan'}
            when not_started and $as_of >= instant(planned_start + to_days(not_started_yellow_after_days), $off_us)
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
    select kind, item_id, status, raw_status, recovering, last_red_at, light_hash, as_of
    from item_light
),
remembered as (
    select
        c.*,
        p.light_hash as prev_hash,
        -- The last run's light is the memory of anti-flapping, unless it was computed for a later time (a replay).
        case when p.as_of <= $as_of then p.status end as prev_status,
        case when p.as_of <= $as_of then p.raw_status end as prev_raw_status,
        case when p.as_of <= $as_of then coalesce(p.recovering, false) else false end as prev_recovering,
        case when p.as_of <= $as_of then p.last_red_at end as prev_last_red_at,
        case when p.as_of <= $as_of then p.as_of end as prev_as_of
    from computed as c
    left join previous as p on p.kind = c.kind and p.item_id = c.item_id
),
recovery as (
    select
        r.*,
        -- Anti-flapping: after red, an open item stays at most yellow until the hold has passed and, for a
        -- milestone, the gap to the planned progress is made up.
        coalesce($recovery_enabled and r.is_open and r.light.s <> 'red'
            and (r.prev_raw_status = 'red' or r.prev_recovering)
            and (r.w_now - work_s(lr.workday_seq, lr.is_workday,
                                  local_ts(coalesce(r.prev_last_red_at, r.prev_as_of), $off_us))
                    < $recovery_hold_wd * 86400
                 or (r.kind = 'milestone' and $recovery_until_gap_closed and r.behind > 0)), false) as recovering,
        -- The memory stays unchanged while the item is red (so its row does not change with every run):
        -- the time it was last seen red is written when it stops being red.
        case
            when not r.is_open or r.light.s = 'red' then null
            when r.prev_raw_status = 'red' then r.prev_as_of
            else r.prev_last_red_at
        end as last_red_at
    from remembered as r
    left join calendar_day as lr
        on lr.calendar_id = r.calendar_id
        and lr.day = local_ts(coalesce(r.prev_last_red_at, r.prev_as_of), $off_us)::date
),
staled as (
    select
        r.*,
        r.is_open and coalesce(s.is_stale, false) as stale,
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
        end as escalation,
        case when assumed_days > 0 then 'assumed' when local_days > 0 then 'local' else 'official' end
            as calendar_basis
    from staled as s
    left join decisions as d on d.kind = s.kind and d.item_id = s.item_id
),
rounded as (
    -- Clock values are kept to the tenth of a working day (hours to the tenth, progress to the percent), as
    -- explanations show them: an open item's row changes when a shown value changes, not at every run.
    select
        *,
        round(allowed_s / 8640.0) * 8640 as allowed_r,
        round(used_s / 8640.0) * 8640 as used_r,
        -- Any lateness shows as at least 0.1.
        greatest(round(late_s / 8640.0), sign(late_s)) * 8640 as late_r,
        round(paused_s / 8640.0) * 8640 as paused_r,
        round((w_due - w_stop) / 8640.0) * 8640 as to_due_r,
        case when yellow_unit = 'workhours' then round((h_due - h_now) / 360.0) * 360 end as hours_to_due_r,
        case when is_open then round(planned_pct) end as planned_r,
        case when is_open then round(behind) end as behind_r
    from decided
),
final as (
    select
        kind, item_id, unit_code, person_id, rule_no, calendar_id, is_open, started_at, due_at, original_due_at,
        done_at,
        status,
        raw_light.s as raw_status,
        coalesce(decision.type, raw_light.c) as reason_code,
        raw_light.c as raw_reason_code,
        calendar_basis, source, stale, escalation,
        decision.id as decision_id, decision.type as decision_type, decision.by as decision_by,
        decision.at as decision_at, decision.note as decision_note,
        progress_pct, planned_r as planned_pct, behind_r as behind, planned_start, planned_date, last_red_at,
        recovering, deadline_basis, limit_used, ext_due_at is not null as extended,
        allowed_r as allowed_s, used_r as used_s, late_r as late_s, paused_r as paused_s, to_due_r as to_due_s,
        hours_to_due_r as hours_to_due_s,
        satisfaction, reopened_count, prev_status,
        -- Everything the stored row and its explanation depend on, except the time of the run itself.
        hash(fact_hash, rule_hash, status, raw_light.s, raw_light.c, unit_code, person_id, started_at, due_at,
             original_due_at, done_at, is_open, calendar_basis, source, stale, escalation, decision.id,
             decision.by, decision.at, decision.note, progress_pct, planned_r, behind_r, last_red_at, calendar_id,
             recovering, deadline_basis, limit_used, allowed_r, used_r, late_r, paused_r, to_due_r,
             hours_to_due_r) as light_hash,
        prev_hash
    from rounded
)
select * exclude (prev_hash), light_hash is distinct from prev_hash as changed from final
