-- one row per received work order record: typed fields, and the first reason it cannot load (null when it can)
create or replace temp table stg_batch as
with src as (
    select * from src_batch
),
typed as (
    select
        _rn,
        clean(request_id) as request_id,
        clean(category) as category,
        clean(title) as title,
        clean(unit_code) as unit_code,
        clean(person_id) as person_id,
        parse_time(received_at, $formats, $tz, $utc_offset_us) as received_at,
        parse_time(dispatched_at, $formats, $tz, $utc_offset_us) as dispatched_at,
        parse_time(first_response_at, $formats, $tz, $utc_offset_us) as first_response_at,
        parse_time(closed_at, $formats, $tz, $utc_offset_us) as closed_at,
        parse_time(due_at, $formats, $tz, $utc_offset_us) as due_at,
        as_whole(limit_days)::integer as limit_days,
        clean(satisfaction) as satisfaction,
        coalesce(as_whole(reopened_count), 0)::integer as reopened_count,
        clean(status) as status,
        parse_time(suspended_from, $formats, $tz, $utc_offset_us) as suspended_from,
        parse_time(suspended_until, $formats, $tz, $utc_offset_us) as suspended_until,
        parse_time(extended_to, $formats, $tz, $utc_offset_us) as extended_to,
        parse_time(updated_at, $formats, $tz, $utc_offset_us) as updated_at,
        struct_pack(
            received_at, dispatched_at, first_response_at, closed_at, due_at, limit_days, reopened_count,
            suspended_from, suspended_until, extended_to, updated_at, satisfaction
        ) as txt
    from src
),
checked as (
    select
        t.*,
        coalesce(
            case when t.request_id is null then {'code': 'missing_key', 'reason': 'request_id is empty'} end,
            required_check('received_at', t.txt.received_at),
            required_check('unit_code', t.unit_code),
            time_check('received_at', t.txt.received_at, t.received_at),
            time_check('dispatched_at', t.txt.dispatched_at, t.dispatched_at),
            time_check('first_response_at', t.txt.first_response_at, t.first_response_at),
            time_check('closed_at', t.txt.closed_at, t.closed_at),
            time_check('due_at', t.txt.due_at, t.due_at),
            time_check('suspended_from', t.txt.suspended_from, t.suspended_from),
            time_check('suspended_until', t.txt.suspended_until, t.suspended_until),
            time_check('extended_to', t.txt.extended_to, t.extended_to),
            time_check('updated_at', t.txt.updated_at, t.updated_at),
            number_check('limit_days', t.txt.limit_days, true),
            number_check('reopened_count', t.txt.reopened_count, true),
            case when t.closed_at < t.received_at then {
                'code': 'closed_before_opened',
                'reason': format('closed_at {} is before received_at {}', t.txt.closed_at, t.txt.received_at)} end,
            case when t.suspended_until < t.suspended_from then {
                'code': 'impossible_time',
                'reason': format('suspended_until {} is before suspended_from {}',
                                 t.txt.suspended_until, t.txt.suspended_from)} end,
            case when t.satisfaction not in ('satisfied', 'basically_satisfied', 'dissatisfied') then {
                'code': 'bad_value',
                'reason': format('satisfaction "{}" is not one of the known ratings', t.txt.satisfaction)} end,
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
        request_id as record_key,
        problem.code as reason_code,
        problem.reason as reason
    from checked
)
select * from final
