-- a source calendar date: ISO, a timestamp whose day is taken, or one of the source's formats
create or replace temp macro parse_date(txt, fmts) as (
    case
        when nullif(trim(txt), '') is null then null::date
        else coalesce(
            try_cast(trim(txt) as date),
            try_cast(try_cast(trim(txt) as timestamp) as date),
            try_cast(try_strptime(trim(txt), fmts) as date))
    end
)
