-- a source calendar date: ISO, a timestamp whose day is taken, or one of the source's formats;
-- a typed source column (a date, or a wall-clock time whose day is taken) arrives typed
create or replace temp macro parse_date(txt, fmts) as (
    case
        when typeof(txt) <> 'VARCHAR' then txt::date
        when nullif(trim(txt::varchar), '') is null then null::date
        else coalesce(
            try_cast(trim(txt::varchar) as date),
            try_cast(try_cast(trim(txt::varchar) as timestamp) as date),
            try_cast(try_strptime(trim(txt::varchar), fmts) as date))
    end
)
