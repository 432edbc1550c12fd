-- one row: the time the current lights were computed for, and how many items they cover
with final as (
    select max(as_of) as as_of, count(*) as items, count(*) filter (where stale) as stale_items
    from item_light
)
select * from final
