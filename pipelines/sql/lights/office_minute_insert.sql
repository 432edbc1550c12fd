-- one row per calendar and minute of a working day, as built by pipelines/calendar.py
insert into office_minute by name
select * from office_minute_frame
