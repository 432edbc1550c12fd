-- one row per item light as the item key mart holds it, with a hash of the whole row
create or replace temp macro mart_item_key_source() as table
with keyed as (
    select hash(kind, item_id) as key_hash, kind, item_id, unit_code, status, wd_used, wd_remaining
    from item_light
),
final as (
    select *, hash(key_hash, unit_code, status, wd_used, wd_remaining) as row_hash
    from keyed
)
select * from final
