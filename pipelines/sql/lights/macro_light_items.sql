-- every tracked item at as_of in one shape (documents, their steps, milestones, work orders), with what its
-- light depends on (titles and record ids are read for the explanation only): a table macro
create or replace temp macro light_items(as_of, off_us) as table
with documents as (
    select
        'document' as kind, doc_id as item_id, coalesce(category, doc_type) as category,
        unit_code, person_id, received_at as started_at, closed_at as done_at, closed_at as done_clock_at,
        limit_days as limit_src, due_at as due_src, source,
        null::date as planned_start, null::date as planned_date, null::double as progress_pct,
        null::varchar as satisfaction, null::integer as reopened_count,
        hash(title, category, doc_type, source) as fact_hash
    from fct_document
    where received_at <= as_of
),
steps as (
    select
        'document_step' as kind, s.doc_id || '#' || s.step_no as item_id,
        s.step_name as category,
        coalesce(s.unit_code, d.unit_code) as unit_code, coalesce(s.person_id, d.person_id) as person_id,
        s.started_at, s.finished_at as done_at, s.finished_at as done_clock_at,
        s.limit_days as limit_src, null::timestamptz as due_src, s.source,
        null::date, null::date, null::double, null::varchar, null::integer,
        hash(d.title, s.step_name, s.source) as fact_hash
    from fct_document_step as s
    left join fct_document as d on d.doc_id = s.doc_id
    where s.started_at <= as_of
),
milestones as (
    -- Plans are dates: the period runs from the start of planned_start to the end of planned_date, and a
    -- milestone done on a day counts as done at the end of that day.
    select
        'milestone' as kind, milestone_id as item_id,
        category, unit_code, person_id,
        instant(planned_start::timestamp, off_us) as started_at,
        instant(actual_date::timestamp, off_us) as done_at,
        instant((actual_date + 1)::timestamp, off_us) as done_clock_at,
        null::integer as limit_src,
        instant((planned_date + 1)::timestamp, off_us) as due_src,
        source,
        planned_start, planned_date, progress_pct, null::varchar, null::integer,
        hash(task_name, name, category, source) as fact_hash
    from fct_milestone
),
requests as (
    select
        'request' as kind, request_id as item_id, category, unit_code, person_id,
        received_at as started_at, closed_at as done_at, closed_at as done_clock_at,
        limit_days as limit_src, due_at as due_src, source,
        null::date, null::date, null::double, satisfaction, reopened_count,
        hash(title, category, source) as fact_hash
    from fct_request
    where received_at <= as_of
),
items as (
    select * from documents
    union all by name select * from steps
    union all by name select * from milestones
    union all by name select * from requests
),
final as (
    select
        i.*,
        -- Closed after as_of means still open at as_of (replays of an earlier time).
        i.done_at is null or i.done_at > as_of as is_open,
        p.job_category,
        coalesce(uc.calendar_id, 'default') as calendar_id
    from items as i
    left join dim_person as p on p.person_id = i.person_id
    left join unit_calendar as uc on uc.unit_code = i.unit_code
)
select * from final
