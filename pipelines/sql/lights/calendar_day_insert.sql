-- one row per calendar and day, as built by pipelines/calendar.py
insert into calendar_day by name
select * from calendar_frame
