-- The public, documented views that outside tools query with plain DuckDB (see docs/data-contract.md).

create or replace view item_status as
select
    kind, item_id, title, category, unit_code, person_id,
    due_at as due, done_at as done, is_open,
    status, reason_zh as reason, reason_en, reason_code,
    rule_id, rule_version, wd_allowed, wd_used, wd_remaining,
    stale, as_of,
    -- Added columns: the light before exemptions, the original deadline, lateness and supervision level.
    raw_status, started_at as started, original_due_at as original_due, wd_late, wd_paused, escalation,
    calendar_basis, source_record, decision_id
from item_light;

-- Counts by status per unit, for the unit's own items and its whole subtree.
-- Counted items: open ones, plus those closed in the 30 days before as_of.
create or replace view unit_status as
with counted as (
    select unit_code, status
    from item_light
    where is_open or done_at >= as_of - interval 30 day
),
own as (
    select
        unit_code,
        count(*) filter (where status = 'red')      as red,
        count(*) filter (where status = 'yellow')   as yellow,
        count(*) filter (where status = 'green')    as green,
        count(*) filter (where status = 'unknown')  as unknown,
        count(*) filter (where status = 'exempted') as exempted
    from counted
    group by unit_code
),
subtree as (
    select
        a.ancestor_code as unit_code,
        sum(o.red) as red, sum(o.yellow) as yellow, sum(o.green) as green,
        sum(o.unknown) as unknown, sum(o.exempted) as exempted
    from own as o
    join dim_unit_ancestor as a on a.unit_code = o.unit_code
    group by a.ancestor_code
),
rollup as (
    -- Added columns, from the lights' unit rollups (config/rules.toml [rollup] and [escalation.unit]).
    select
        unit_code,
        any_value(status) filter (where scope = 'subtree') as status,
        any_value(status) filter (where scope = 'own') as own_status,
        any_value(red_days_in_row) filter (where scope = 'subtree') as red_days_in_row,
        any_value(escalation) filter (where scope = 'subtree') as escalation
    from unit_light
    where kind = 'all'
    group by unit_code
),
final as (
    select
        u.unit_code, u.name, u.parent_code, u.level,
        coalesce(o.red, 0) as red, coalesce(o.yellow, 0) as yellow, coalesce(o.green, 0) as green,
        coalesce(o.unknown, 0) as unknown, coalesce(o.exempted, 0) as exempted,
        coalesce(s.red, 0)::bigint as subtree_red, coalesce(s.yellow, 0)::bigint as subtree_yellow,
        coalesce(s.green, 0)::bigint as subtree_green, coalesce(s.unknown, 0)::bigint as subtree_unknown,
        coalesce(s.exempted, 0)::bigint as subtree_exempted,
        coalesce(r.status, 'unknown') as status,
        coalesce(r.own_status, 'unknown') as own_status,
        coalesce(r.red_days_in_row, 0) as red_days_in_row,
        coalesce(r.escalation, 'none') as escalation
    from dim_unit as u
    left join own as o on o.unit_code = u.unit_code
    left join subtree as s on s.unit_code = u.unit_code
    left join rollup as r on r.unit_code = u.unit_code
)
select * from final;

create or replace view pipeline_runs as
select
    run_id, pipeline, kind, started_at as started, finished_at as finished, state,
    rows_read, rows_loaded, rows_rejected, error
from pipeline_run;
