-- working seconds from a calendar's first day to a local time on one of its days (see pipelines/calendar.py)
create or replace temp macro work_s(workday_seq, is_workday, local) as
    (workday_seq - is_workday::integer)::bigint * 86400
    + case when is_workday then (epoch_us(local) // 1000000) % 86400 else 0 end
