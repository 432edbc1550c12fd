-- one row per received unit record: typed fields, and the first reason it cannot load (null when it can)
create or replace temp table stg_batch as
with src as (
    select * from src_batch
),
typed as (
    select
        _rn,
        clean(unit_code) as unit_code,
        clean(name) as name,
        clean(name_en) as name_en,
        clean(parent_code) as parent_code,
        as_whole(level)::integer as level,
        parse_time(updated_at, $formats, $tz, $utc_offset_us) as updated_at,
        struct_pack(level, updated_at) as txt
    from src
),
known as (
    select unit_code from dim_unit
    union
    select unit_code from typed where unit_code is not null
),
checked as (
    select
        t.*,
        coalesce(
            case when t.unit_code is null then {'code': 'missing_key', 'reason': 'unit_code is empty'} end,
            case when t.unit_code like '%/%' then {
                'code': 'bad_value', 'reason': format('unit_code {} contains "/"', t.unit_code)} end,
            required_check('name', t.name),
            number_check('level', t.txt.level, true),
            time_check('updated_at', t.txt.updated_at, t.updated_at),
            case when t.parent_code = t.unit_code then {
                'code': 'bad_value', 'reason': format('unit {} is its own parent', t.unit_code)} end,
            case when t.parent_code is not null and k.unit_code is null then {
                'code': 'unknown_unit',
                'reason': format('parent unit {} of unit {} is not a known unit', t.parent_code, t.unit_code)} end
        ) as problem
    from typed as t
    left join known as k on k.unit_code = t.parent_code
),
final as (
    select
        * exclude (problem, txt),
        unit_code as record_key,
        problem.code as reason_code,
        problem.reason as reason
    from checked
)
select * from final
