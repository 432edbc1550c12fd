-- removes the deployment calendar's days before they are rebuilt
delete from dim_calendar
