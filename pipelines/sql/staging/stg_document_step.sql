-- one row per received document step record: typed fields, and the first reason it cannot load (null when it can)
create or replace temp table stg_batch as
with src as (
    select * from src_batch
),
typed as (
    select
        _rn,
        clean(doc_id) as doc_id,
        as_whole(step_no)::integer as step_no,
        clean(step_name) as step_name,
        clean(person_id) as person_id,
        clean(unit_code) as unit_code,
        parse_time(started_at, $formats, $tz, $utc_offset_us) as started_at,
        parse_time(finished_at, $formats, $tz, $utc_offset_us) as finished_at,
        as_whole(limit_days)::integer as limit_days,
        parse_time(updated_at, $formats, $tz, $utc_offset_us) as updated_at,
        struct_pack(step_no, started_at, finished_at, limit_days, updated_at) as txt
    from src
),
checked as (
    select
        t.*,
        coalesce(
            case when t.doc_id is null or nullif(trim(t.txt.step_no), '') is null then
                {'code': 'missing_key', 'reason': 'doc_id or step_no is empty'} end,
            number_check('step_no', t.txt.step_no, true),
            required_check('step_name', t.step_name),
            required_check('started_at', t.txt.started_at),
            time_check('started_at', t.txt.started_at, t.started_at),
            time_check('finished_at', t.txt.finished_at, t.finished_at),
            time_check('updated_at', t.txt.updated_at, t.updated_at),
            number_check('limit_days', t.txt.limit_days, true),
            case when t.finished_at < t.started_at then {
                'code': 'closed_before_opened',
                'reason': format('finished_at {} is before started_at {}', t.txt.finished_at, t.txt.started_at)} end,
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
        doc_id || '#' || step_no as record_key,
        problem.code as reason_code,
        problem.reason as reason
    from checked
)
select * from final
