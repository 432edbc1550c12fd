-- removes the office-minute lookup before it is rebuilt
delete from office_minute
