-- working seconds from a calendar's first day to a local time on one of its days (see pipelines/calendar.py)
create or replace temp macro work_s(workday_seq, is_workday, day, local_ts) as
    (workday_seq - is_workday::integer)::bigint * 86400
    + case when is_workday then date_diff('second', day::timestamp, local_ts) else 0 end
