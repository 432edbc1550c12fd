-- one row per valid work order record that is new, or newer than and different from what we hold
create or replace temp table chg_batch as
with incoming as (
    select
        request_id, category, title, unit_code, person_id, received_at, dispatched_at, first_response_at,
        closed_at, due_at, limit_days, satisfaction, reopened_count, status,
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
        t.request_id is null as is_new,
        case when t.request_id is not null then to_json(t) end as before,
        case when t.request_id is not null then to_json(n) end as after
    from incoming as n
    left join fct_request as t on t.request_id = n.request_id
    where t.request_id is null
        or ((n.undated or n.updated_at >= t.updated_at)
            and (n.category, n.title, n.unit_code, n.person_id, n.received_at, n.dispatched_at,
                 n.first_response_at, n.closed_at, n.due_at, n.limit_days, n.satisfaction, n.reopened_count,
                 n.status, n.source)
                is distinct from
                (t.category, t.title, t.unit_code, t.person_id, t.received_at, t.dispatched_at,
                 t.first_response_at, t.closed_at, t.due_at, t.limit_days, t.satisfaction, t.reopened_count,
                 t.status, t.source))
),
final as (
    select request_id as item_id, updated_at as changed_at, * from compared
)
select * from final
