-- one row per item: the rule parameters that apply and its working-time clock readings (working seconds)
create or replace temp table light_clock as
with extension as (
    -- The latest extension approved by $as_of sets the deadline; the original stays on record.
    select
        kind, item_id,
        arg_max(new_due_at, approved_at) as ext_due_at,
        max(approved_at) as ext_approved_at,
        count(*) as ext_count
    from fct_extension
    where approved_at <= $as_of
    group by kind, item_id
),
now_local as (
    select timezone($tz, $as_of) as local_now
),
now_clock as (
    select
        c.calendar_id,
        work_s(c.workday_seq, c.is_workday, c.day, n.local_now) as w_now,
        office_s_at(c.office_s_before, c.is_workday, m.elapsed_s, m.in_office, n.local_now) as h_now,
        c.assumed_seq as now_assumed_seq,
        c.local_seq as now_local_seq
    from now_local as n
    join calendar_day as c on c.day = n.local_now::date
    join office_minute as m
        on m.calendar_id = c.calendar_id and m.minute_of_day = hour(n.local_now) * 60 + minute(n.local_now)
),
located as (
    select
        i.*,
        r.* exclude (kind, rule_key),
        e.ext_due_at,
        e.ext_approved_at,
        coalesce(e.ext_count, 0) as ext_count,
        timezone($tz, i.started_at) as start_local,
        timezone($tz, case when not i.is_open then i.done_clock_at end) as done_local,
        timezone($tz, i.due_src) as due_src_local,
        timezone($tz, e.ext_due_at) as ext_local
    from light_item as i
    join light_rule_applied as r on r.kind = i.kind and r.rule_key = i.rule_key
    left join extension as e on e.kind = i.kind and e.item_id = i.item_id
),
final as (
    select
        l.*,
        -- A time limit starts counting after the day of receipt; a milestone's plan includes its first day.
        (case when l.kind = 'milestone' then cs.workday_seq - cs.is_workday::integer else cs.workday_seq end)::bigint
            * 86400 as w_start,
        cs.assumed_seq - (cs.basis = 'assumed')::integer as start_assumed_before,
        cs.local_seq - (cs.basis = 'local')::integer as start_local_before,
        work_s(cd.workday_seq, cd.is_workday, cd.day, l.done_local) as w_done,
        cd.assumed_seq as done_assumed_seq,
        cd.local_seq as done_local_seq,
        work_s(cu.workday_seq, cu.is_workday, cu.day, l.due_src_local) as w_due_src,
        work_s(ce.workday_seq, ce.is_workday, ce.day, l.ext_local) as w_ext,
        n.w_now,
        n.h_now,
        n.now_assumed_seq,
        n.now_local_seq,
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
)
select * from final
