-- office seconds from a calendar's first day to a local time, given the day and the minute's office_minute row
create or replace temp macro office_s_at(office_s_before, is_workday, elapsed_s, in_office, local) as
    office_s_before
    + case when is_workday
        then elapsed_s + case when in_office then (epoch_us(local) // 1000000) % 60 else 0 end
        else 0 end
