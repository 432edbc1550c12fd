-- one row per unit whose own 'all' counts in unit_light differ from a direct count of its counted item lights
with direct as (
    select unit_code, count(*) filter (where status = 'red') as red, count(*) as items
    from item_light
    where list_contains($rollup_kinds, kind) and (is_open or done_at >= as_of - to_days($count_closed_days))
    group by unit_code
),
final as (
    select u.unit_code, u.red, d.red as direct_red, u.items, d.items as direct_items
    from unit_light as u
    left join direct as d on d.unit_code = u.unit_code
    where u.scope = 'own' and u.kind = 'all'
        and (u.red <> coalesce(d.red, 0) or u.items <> coalesce(d.items, 0))
)
select * from final
