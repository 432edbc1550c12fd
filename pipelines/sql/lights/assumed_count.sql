-- one row: how many of this run's lights count working days on days of an assumed (not official) calendar
select count(*) from light_new where calendar_basis = 'assumed'
