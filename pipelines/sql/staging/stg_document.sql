-- one row per received document record: typed fields, and the first reason it cannot load (null when it can)
create or replace temp table stg_batch as
with src as (
    select * from src_batch
),
typed as (
    select
        _rn,
        clean(doc_id) as doc_id,
        clean(title) as title,
        clean(doc_type) as doc_type,
        clean(category) as category,
        clean(unit_code) as unit_code,
        clean(person_id) as person_id,
        parse_time(received_at, $formats, $tz, $utc_offset_us) as received_at,
        as_whole(limit_days)::integer as limit_days,
        parse_time(due_at, $formats, $tz, $utc_offset_us) as due_at,
        parse_time(closed_at, $formats, $tz, $utc_offset_us) as closed_at,
        parse_time(updated_at, $formats, $tz, $utc_offset_us) as updated_at,
        struct_pack(received_at, limit_days, due_at, closed_at, updated_at) as txt
    from src
),
checked as (
    select
        t.*,
        coalesce(
            case when t.doc_id is null then {'code': 'missing_key', 'reason': 'doc_id is empty'} end,
            required_check('received_at', t.txt.received_at),
            required_check('unit_code', t.unit_code),
            time_check('received_at', t.txt.received_at, t.received_at),
            time_check('due_at', t.txt.due_at, t.due_at),
            time_check('closed_at', t.txt.closed_at, t.closed_at),
            time_check('updated_at', t.txt.updated_at, t.updated_at),
            number_check('limit_days', t.txt.limit_days, true),
            case when t.closed_at < t.received_at then {
                'code': 'closed_before_opened',
                'reason': format('closed_at {} is before received_at {}', t.txt.closed_at, t.txt.received_at)} end,
            case when u.unit_code is null and t.unit_code is not null then {
                'code': 'unknown_unit',
                'reason': format('unit {} is not a known unit (run the organisation sync, or map it)',
                                 t.unit_code)} end
        ) as problem
    from typed as t
    left join dim_unit as u on u.unit_code = t.unit_code
),
final as (
    select
        * exclude (problem, txt),
        doc_id as record_key,
        problem.code as reason_code,
        problem.reason as reason
    from checked
)
select * from final
