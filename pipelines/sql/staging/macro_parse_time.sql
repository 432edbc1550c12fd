-- a source time as an instant: with an offset it is absolute, without one it is local time in the source's zone
create or replace temp macro parse_time(txt, fmts, tz) as (
    case
        when nullif(trim(txt), '') is null then null::timestamptz
        when regexp_matches(trim(txt), '\d:\d\d(:\d\d(\.\d+)?)?\s*(Z|[+-]\d\d(:?\d\d)?)$')
            then try_cast(trim(txt) as timestamptz)
        else timezone(tz, coalesce(try_cast(trim(txt) as timestamp), try_strptime(trim(txt), fmts)))
    end
)
