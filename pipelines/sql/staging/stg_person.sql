-- one row per received person record: typed fields, and the first reason it cannot load (null when it can)
create or replace temp table stg_batch as
with src as (
    select * from src_batch
),
typed as (
    select
        _rn,
        nullif(trim(person_id), '') as person_id,
        nullif(trim(name), '') as name,
        nullif(trim(unit_code), '') as unit_code,
        nullif(trim(job_category), '') as job_category,
        try_cast(nullif(trim(difficulty), '') as double) as difficulty,
        parse_time(updated_at, $formats, $tz) as updated_at,
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
ranked as (
    select
        *,
        row_number() over (
            partition by person_id, problem is null order by updated_at desc nulls last, _rn desc
        ) as copy_no
    from checked
),
final as (
    select
        * exclude (problem, copy_no, txt),
        person_id as record_key,
        coalesce(problem.code, case when copy_no > 1 then 'duplicate' end) as reason_code,
        coalesce(problem.reason, case when copy_no > 1 then
            'a newer record with the same person_id is in the same batch' end) as reason
    from ranked
)
select * from final
