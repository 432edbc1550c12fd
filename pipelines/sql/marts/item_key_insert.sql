-- one row per item light: its unit, person and light, in the order of the hash of its key
insert into mart_item_key by name
with final as (
    select hash(kind, item_id) as key_hash, kind, item_id, unit_code, person_id, status, wd_used, wd_remaining
    from item_light
)
select * from final
order by key_hash
