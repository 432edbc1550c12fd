-- one row per received milestone record: typed fields, and the first reason it cannot load (null when it can)
create or replace temp table stg_batch as
with src as (
    select * from src_batch
),
typed as (
    select
        _rn,
        clean(milestone_id) as milestone_id,
        clean(task_id) as task_id,
        clean(task_name) as task_name,
        clean(name) as name,
        clean(category) as category,
        clean(unit_code) as unit_code,
        clean(person_id) as person_id,
        parse_date(planned_start, $formats) as planned_start,
        parse_date(planned_date, $formats) as planned_date,
        parse_date(actual_date, $formats) as actual_date,
        try_cast(clean(progress_pct) as double) as progress_pct,
        parse_time(updated_at, $formats, $tz, $utc_offset_us) as updated_at,
        struct_pack(planned_start, planned_date, actual_date, progress_pct, updated_at) as txt
    from src
),
checked as (
    select
        t.*,
        coalesce(
            case when t.milestone_id is null then {'code': 'missing_key', 'reason': 'milestone_id is empty'} end,
            required_check('name', t.name),
            required_check('unit_code', t.unit_code),
            required_check('planned_date', t.txt.planned_date),
            time_check('planned_start', t.txt.planned_start, t.planned_start),
            time_check('planned_date', t.txt.planned_date, t.planned_date),
            time_check('actual_date', t.txt.actual_date, t.actual_date),
            time_check('updated_at', t.txt.updated_at, t.updated_at),
            number_check('progress_pct', t.txt.progress_pct, false),
            case when t.progress_pct < 0 or t.progress_pct > 100 then {
                'code': 'bad_value',
                'reason': format('progress_pct {} is not between 0 and 100', t.txt.progress_pct)} end,
            case when t.planned_date < t.planned_start then {
                'code': 'impossible_time',
                'reason': format('planned_date {} is before planned_start {}',
                                 t.txt.planned_date, t.txt.planned_start)} end,
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
        milestone_id as record_key,
        problem.code as reason_code,
        problem.reason as reason
    from checked
)
select * from final
