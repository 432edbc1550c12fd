-- one row per item with clock pauses: working seconds its clock stood still, in all and after its extension
create or replace temp table light_pause as
with pauses as (
    select
        kind, item_id, started_at,
        least(coalesce(ended_at, $as_of), $as_of) as ended_at,
        ended_at is null or ended_at > $as_of as open_ended
    from fct_suspension
    where started_at < $as_of
),
ordered as (
    select
        *,
        max(ended_at) over (
            partition by kind, item_id order by started_at, ended_at
            rows between unbounded preceding and 1 preceding
        ) as ended_before
    from pauses
),
islands as (
    -- Overlapping pauses of one item count once: merge them into islands.
    select
        *,
        sum(case when ended_before is null or started_at > ended_before then 1 else 0 end) over (
            partition by kind, item_id order by started_at, ended_at rows unbounded preceding
        ) as island
    from ordered
),
merged as (
    select kind, item_id, min(started_at) as p_start, max(ended_at) as p_end, bool_or(open_ended) as open_ended
    from islands
    group by kind, item_id, island
),
items as (
    select
        i.kind, i.item_id, i.calendar_id, i.is_open,
        local_ts(i.started_at, $off_us) as start_local,
        local_ts(case when not i.is_open then i.done_clock_at end, $off_us) as done_local
    from light_items($as_of, $off_us) as i
    semi join (select distinct kind, item_id from merged) as m on m.kind = i.kind and m.item_id = i.item_id
),
extension as (
    select kind, item_id, max(approved_at) as ext_approved_at
    from fct_extension
    where approved_at <= $as_of
    group by kind, item_id
),
item_clock as (
    select
        i.kind, i.item_id, i.calendar_id, i.is_open, e.ext_approved_at,
        (case when i.kind = 'milestone' then cs.workday_seq - cs.is_workday::integer else cs.workday_seq end)::bigint
            * 86400 as w_start,
        coalesce(work_s(cd.workday_seq, cd.is_workday, i.done_local),
                 work_s(cn.workday_seq, cn.is_workday, local_ts($as_of, $off_us))) as w_stop
    from items as i
    left join extension as e on e.kind = i.kind and e.item_id = i.item_id
    left join calendar_day as cs on cs.calendar_id = i.calendar_id and cs.day = i.start_local::date
    left join calendar_day as cd on cd.calendar_id = i.calendar_id and cd.day = i.done_local::date
    left join calendar_day as cn on cn.calendar_id = i.calendar_id and cn.day = local_ts($as_of, $off_us)::date
),
clocked as (
    select
        m.kind, m.item_id, m.p_start, m.open_ended, c.is_open, c.ext_approved_at,
        -- Only the part inside the item's running clock counts.
        greatest(0, least(work_s(pe.workday_seq, pe.is_workday, local_ts(m.p_end, $off_us)), c.w_stop)
            - greatest(work_s(ps.workday_seq, ps.is_workday, local_ts(m.p_start, $off_us)), c.w_start))
            as paused_s
    from merged as m
    join item_clock as c on c.kind = m.kind and c.item_id = m.item_id
    left join calendar_day as ps on ps.calendar_id = c.calendar_id and ps.day = local_ts(m.p_start, $off_us)::date
    left join calendar_day as pe on pe.calendar_id = c.calendar_id and pe.day = local_ts(m.p_end, $off_us)::date
),
final as (
    select
        kind, item_id,
        sum(coalesce(paused_s, 0))::bigint as paused_s,
        sum(case when p_start >= ext_approved_at then coalesce(paused_s, 0) else 0 end)::bigint as paused_after_ext_s,
        bool_or(open_ended and is_open) as paused_now
    from clocked
    group by kind, item_id
)
select * from final
