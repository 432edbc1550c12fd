-- one row per received person record: typed fields, and the first reason it cannot load (null when it can)
create or replace temp table stg_batch as
with src as (
    select * from src_batch
),
typed as (
    select
        _rn,
        clean(person_id) as person_id,
        clean(name) as name,
        clean(unit_code) as unit_code,
        clean(job_category) as job_category,
        try_cast(clean(difficulty) as double) as difficulty,
        parse_time(updated_at, $formats, $tz, $utc_offset_us) as updated_at,
        struct_pack(difficulty, updated_at) as txt
    from src
),
checked as (
    select
        t.*,
        coalesce(
            case when t.person_id is null then {'code': 'missing_key', 'reason': 'person_id is empty'} end,
            required_check('name', t.name),
            required_check('unit_code', t.unit_code),
            required_check('job_category', t.job_category),
            case when t.job_category not in ('law_enforcement', 'service', 'management') then {
                'code': 'bad_value',
                'reason': format('job_category "{}" is not law_enforcement, service or management',
                                 t.job_category)} end,
            number_check('difficulty', t.txt.difficulty, false),
            time_check('updated_at', t.txt.updated_at, t.updated_at),
            case when u.unit_code is null and t.unit_code is not null then {
                'code': 'unknown_unit',
                'reason': format('unit {} of person {} is not a known unit', t.unit_code, t.person_id)} end
        ) as problem
    from typed as t
    left join dim_unit as u on u.unit_code = t.unit_code
),
final as (
    select
        * exclude (problem, txt),
        person_id as record_key,
        problem.code as reason_code,
        problem.reason as reason
    from checked
)
select * from final
