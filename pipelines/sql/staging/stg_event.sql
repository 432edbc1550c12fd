-- one row per received event-log event: typed fields, and the first reason it cannot load (null when it can)
create or replace temp table stg_batch as
with src as (
    select * from src_batch
),
typed as (
    select
        _rn,
        clean(case_id) as case_id,
        clean(activity) as activity,
        parse_time(event_time, $formats, $tz, $utc_offset_us) as event_time,
        clean(resource) as resource,
        clean(org_group) as org_group,
        clean(case_title) as case_title,
        clean(case_type) as case_type,
        parse_time(case_start, $formats, $tz, $utc_offset_us) as case_start,
        parse_time(case_deadline, $formats, $tz, $utc_offset_us) as case_deadline,
        parse_time(case_end, $formats, $tz, $utc_offset_us) as case_end,
        clean(case_unit) as case_unit,
        clean(case_person) as case_person,
        struct_pack(event_time, case_start, case_deadline, case_end) as txt
    from src
),
checked as (
    select
        t.*,
        coalesce(
            case when t.case_id is null then {'code': 'missing_key', 'reason': 'case id is empty'} end,
            required_check('activity', t.activity),
            required_check('event_time', t.txt.event_time),
            time_check('event_time', t.txt.event_time, t.event_time),
            time_check('case_start', t.txt.case_start, t.case_start),
            time_check('case_deadline', t.txt.case_deadline, t.case_deadline),
            time_check('case_end', t.txt.case_end, t.case_end),
            case when g.unit_code is null and t.org_group is not null then {
                'code': 'unknown_unit',
                'reason': format('group {} is not a known unit (map it, or let the mapping create units)',
                                 t.org_group)} end,
            case when c.unit_code is null and t.case_unit is not null then {
                'code': 'unknown_unit',
                'reason': format('case unit {} is not a known unit (map it, or let the mapping create units)',
                                 t.case_unit)} end
        ) as problem
    from typed as t
    left join dim_unit as g on g.unit_code = t.org_group
    left join dim_unit as c on c.unit_code = t.case_unit
),
final as (
    select
        * exclude (problem, txt),
        case_id as record_key,
        problem.code as reason_code,
        problem.reason as reason
    from checked
)
select * from final
