-- a local time for explanations; midnight is shown as 24:00 of the day before, the way deadlines are spoken of
create or replace temp macro fmt_time(local_ts) as
    case
        when local_ts is null then '—'
        when local_ts::time = time '00:00:00' then strftime(local_ts - interval 1 day, '%Y-%m-%d') || ' 24:00'
        else strftime(local_ts, '%Y-%m-%d %H:%M')
    end
