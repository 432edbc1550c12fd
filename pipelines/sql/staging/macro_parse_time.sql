-- a source time as an instant: with an offset it is absolute, without one it is local time in the source's zone
-- (offset_us: the zone's offset when it is the same all through 2000-2100, so no per-value zone lookup is needed).
-- A typed source column arrives typed: an instant is taken as it is, a wall-clock time (or a date) is local time.
-- typeof() is settled when the statement is bound, so only the branch of the column's type is ever run.
create or replace temp macro parse_time(txt, fmts, tz, offset_us) as (
    case
        when txt is null then null::timestamptz
        when typeof(txt) = 'TIMESTAMP WITH TIME ZONE' then txt::timestamptz
        when typeof(txt) <> 'VARCHAR' then local_instant(txt::timestamp, tz, offset_us)
        when (txt::varchar like '%Z' or txt::varchar like '% ' or txt::varchar like '%+%'
              or txt::varchar like '%:%-%')
            and regexp_matches(trim(txt::varchar), '\d:\d\d(:\d\d(\.\d+)?)?\s*(Z|[+-]\d\d(:?\d\d)?)$')
            then try_cast(trim(txt::varchar) as timestamptz)
        else local_instant(coalesce(try_cast(txt::varchar as timestamp), try_strptime(trim(txt::varchar), fmts)),
                           tz, offset_us)
    end
)
