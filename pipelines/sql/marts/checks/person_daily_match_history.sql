-- one row per day from trend_from on whose person daily counts differ from a direct count of the item history
with history as (
    select snapshot_day, count(*) as items
    from item_light_history
    where person_id is not null and snapshot_day >= (select trend_from from mart_refresh)
    group by snapshot_day
),
daily as (
    select snapshot_day, sum(red + yellow + green + unknown + exempted) as items
    from mart_person_daily
    group by snapshot_day
),
final as (
    select coalesce(h.snapshot_day, d.snapshot_day) as snapshot_day, h.items as history, d.items as daily
    from history as h
    full join daily as d on d.snapshot_day = h.snapshot_day
    where coalesce(h.items, 0) <> coalesce(d.items, 0)
)
select * from final
