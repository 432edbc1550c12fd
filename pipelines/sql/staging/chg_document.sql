-- one row per valid document record that is newer than and different from the one we hold: before and after
create or replace temp table chg_batch as
with incoming as (
    select * from inc_batch($source, $loaded_at, $run_id)
),
compared as (
    select
        n.* exclude (undated),
        to_json(t) as before,
        to_json(n) as after
    from incoming as n
    join fct_document as t on t.doc_id = n.doc_id
    where (n.undated or n.updated_at >= t.updated_at)
        and (n.title, n.doc_type, n.category, n.unit_code, n.person_id, n.received_at, n.limit_days,
             n.due_at, n.closed_at, n.source)
            is distinct from
            (t.title, t.doc_type, t.category, t.unit_code, t.person_id, t.received_at, t.limit_days,
             t.due_at, t.closed_at, t.source)
),
final as (
    select doc_id as item_id, updated_at as changed_at, * from compared
)
select * from final
