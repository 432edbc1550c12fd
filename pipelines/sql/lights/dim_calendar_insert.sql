-- one row per day of the deployment calendar
insert into dim_calendar by name
select day, is_workday, holiday_name, basis, workday_seq, day_type, holiday_name_en
from calendar_day
where calendar_id = 'default'
