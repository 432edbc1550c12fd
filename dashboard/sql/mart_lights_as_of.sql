-- one row: the time the current lights were computed for, and how many items they cover (from the marts' refresh)
with final as (
    select lights_as_of as as_of, items, stale_items
    from mart_refresh
)
select * from final
