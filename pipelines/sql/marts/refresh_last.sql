-- one row (none before the first refresh): the day the ordered marts were last written whole, rows appended since
select rewritten_day, appended_rows from mart_refresh
