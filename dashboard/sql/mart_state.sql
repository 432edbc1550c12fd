-- one row: whether the snapshot's marts describe its item lights (else the pages count the item tables), and their window
with refresh as (
    select lights_as_of, items, trend_from from mart_refresh
),
lights as (
    select max(as_of) as lights_as_of, count(*) as items from item_light
),
final as (
    select
        count(*) = 1 and bool_and(r.lights_as_of is not distinct from l.lights_as_of and r.items = l.items) as ready,
        min(r.trend_from) as trend_from
    from refresh as r
    cross join lights as l
)
select * from final
