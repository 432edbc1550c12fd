-- one row per valid document record that is new, or newer than and different from what we hold
create or replace temp table chg_batch as
with incoming as (
    select
        doc_id, title, doc_type, category, unit_code, person_id, received_at, limit_days, due_at, closed_at,
        $source as source,
        coalesce(updated_at, $loaded_at) as updated_at,
        $run_id as run_id,
        updated_at is null as undated
    from stg_batch
    where reason_code is null
),
compared as (
    select
        n.* exclude (undated),
        t.doc_id is null as is_new,
        case when t.doc_id is not null then to_json(t) end as before,
        case when t.doc_id is not null then to_json(n) end as after
    from incoming as n
    left join fct_document as t on t.doc_id = n.doc_id
    where t.doc_id is null
        or ((n.undated or n.updated_at >= t.updated_at)
            and (n.title, n.doc_type, n.category, n.unit_code, n.person_id, n.received_at, n.limit_days,
                 n.due_at, n.closed_at, n.source)
                is distinct from
                (t.title, t.doc_type, t.category, t.unit_code, t.person_id, t.received_at, t.limit_days,
                 t.due_at, t.closed_at, t.source))
),
final as (
    select doc_id as item_id, updated_at as changed_at, * from compared
)
select * from final
