-- one row: whether the snapshot's marts describe its item lights (else the pages say the data is not prepared yet)
with refresh as (
    select lights_as_of, items from mart_refresh
),
lights as (
    select max(as_of) as lights_as_of, count(*) as items from item_light
),
sample as (
    -- items are found in the item key mart by hash: this DuckDB must hash as the one that wrote it did
    select coalesce(bool_and(key_hash = hash(kind, item_id)), true) as same_hash
    from (select key_hash, kind, item_id from mart_item_key limit 1)
),
final as (
    select
        count(*) = 1
        and coalesce(bool_and(r.lights_as_of is not distinct from l.lights_as_of and r.items = l.items), false)
        and (select same_hash from sample) as ready
    from refresh as r
    cross join lights as l
)
select * from final
