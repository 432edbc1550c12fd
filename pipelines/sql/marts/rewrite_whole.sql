-- one row: whether the ordered marts are written again whole (the first refresh of a local day, when every open
-- item's light moves anyway, or once rows appended since the last whole write exceed $appended_share of them)
with last as (
    select rewritten_day, appended_rows, active_items from mart_refresh
)
select coalesce(
    (select rewritten_day is distinct from $day or appended_rows > $appended_share * active_items from last),
    true
) as whole
