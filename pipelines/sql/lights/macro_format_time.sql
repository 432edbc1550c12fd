-- a local time for explanations; midnight is shown as 24:00 of the day before, the way deadlines are spoken of
create or replace temp macro fmt_time(local_ts) as
    case
        when local_ts is null then '—'
        when local_ts::time = time '00:00:00' then (local_ts::date - 1)::varchar || ' 24:00'
        else left(local_ts::varchar, 16)
    end
