-- removes every calendar day before the calendars are rebuilt for the range this run needs
delete from calendar_day
