-- one row per valid document step record that is new or different from what we hold
create or replace temp table chg_batch as
with incoming as (
    select
        doc_id, step_no, step_name, person_id, unit_code, started_at, finished_at, limit_days,
        $source as source,
        $run_id as run_id,
        coalesce(updated_at, $loaded_at) as changed_at
    from stg_batch
    where reason_code is null
),
compared as (
    select
        n.*,
        t.doc_id is null as is_new,
        case when t.doc_id is not null then to_json(t) end as before,
        case when t.doc_id is not null then to_json(n) end as after
    from incoming as n
    left join fct_document_step as t on t.doc_id = n.doc_id and t.step_no = n.step_no
    where t.doc_id is null
        or (n.step_name, n.person_id, n.unit_code, n.started_at, n.finished_at, n.limit_days, n.source)
            is distinct from
            (t.step_name, t.person_id, t.unit_code, t.started_at, t.finished_at, t.limit_days, t.source)
),
final as (
    select doc_id || '#' || step_no as item_id, * from compared
)
select * from final
