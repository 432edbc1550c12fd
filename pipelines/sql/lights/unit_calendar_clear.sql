-- removes the unit-to-calendar assignment before it is rebuilt
delete from unit_calendar
