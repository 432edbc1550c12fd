-- one row per item: its deadline (original, and after extensions; both moved by pauses) and clock values
create or replace temp table light_due as
with clocked as (
    select
        c.*,
        coalesce(p.paused_s, 0) as paused_s,
        coalesce(p.paused_after_ext_s, 0) as paused_after_ext_s,
        coalesce(p.paused_now, false) as paused_now
    from light_clock as c
    left join light_pause as p on p.kind = c.kind and p.item_id = c.item_id
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
                timezone($tz, io.day::timestamp + to_seconds(t.w_due_orig - (io.workday_seq - 1)::bigint * 86400)),
                -- "The same day" (a limit of 0) ends with the day of receipt, even a day off.
                case when t.deadline_basis <> 'source_due' then timezone($tz, (t.start_local::date + 1)::timestamp) end)
        end as original_due_at,
        case
            when t.ext_due_at is null then null
            when t.paused_after_ext_s = 0 then t.ext_due_at
            when ie.day is null then null
            else timezone($tz, ie.day::timestamp + to_seconds(t.w_due - (ie.workday_seq - 1)::bigint * 86400))
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
        -- The last second before the deadline names the deadline's day (a deadline at 24:00 belongs to that day).
        timezone($tz, case when ext_due_at is not null then extended_due_at else original_due_at end
            - interval 1 second) as due_last_local
    from moments
),
final as (
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
)
select * from final
