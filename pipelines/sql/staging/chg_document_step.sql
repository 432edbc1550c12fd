-- one row per valid document step record that differs from the one we hold: before and after
create or replace temp table chg_batch as
with incoming as (
    select * from inc_batch($source, $loaded_at, $run_id)
),
compared as (
    select
        n.*,
        to_json(t) as before,
        to_json(n) as after
    from incoming as n
    join fct_document_step as t on t.doc_id = n.doc_id and t.step_no = n.step_no
    where (n.step_name, n.person_id, n.unit_code, n.started_at, n.finished_at, n.limit_days, n.source)
        is distinct from
        (t.step_name, t.person_id, t.unit_code, t.started_at, t.finished_at, t.limit_days, t.source)
),
final as (
    select doc_id || '#' || step_no as item_id, * from compared
)
select * from final
