-- one row per valid work order record that is newer than and different from the one we hold: before and after
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
    join fct_request as t on t.request_id = n.request_id
    where (n.undated or n.updated_at >= t.updated_at)
        and (n.category, n.title, n.unit_code, n.person_id, n.received_at, n.dispatched_at,
             n.first_response_at, n.closed_at, n.due_at, n.limit_days, n.satisfaction, n.reopened_count,
             n.status, n.source)
            is distinct from
            (t.category, t.title, t.unit_code, t.person_id, t.received_at, t.dispatched_at,
             t.first_response_at, t.closed_at, t.due_at, t.limit_days, t.satisfaction, t.reopened_count,
             t.status, t.source)
),
final as (
    select request_id as item_id, updated_at as changed_at, * from compared
)
select * from final
