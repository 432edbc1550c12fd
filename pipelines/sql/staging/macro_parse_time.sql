-- a source time as an instant: with an offset it is absolute, without one it is local time in the source's zone
-- (offset_us: the zone's offset when it is the same all through 2000-2100, so no per-value zone lookup is needed)
create or replace temp macro parse_time(txt, fmts, tz, offset_us) as (
    case
        when txt is null then null::timestamptz
        when (txt like '%Z' or txt like '% ' or txt like '%+%' or txt like '%:%-%')
            and regexp_matches(trim(txt), '\d:\d\d(:\d\d(\.\d+)?)?\s*(Z|[+-]\d\d(:?\d\d)?)$')
            then try_cast(trim(txt) as timestamptz)
        else local_instant(coalesce(try_cast(txt as timestamp), try_strptime(trim(txt), fmts)), tz, offset_us)
    end
)
