-- one row per unit and kind whose active items per status differ from its counted items in mart_unit_counts
with active as (
    select unit_code, kind, status, count(*) as items
    from mart_active_item
    group by all
),
counted as (
    unpivot (
        select unit_code, kind, sum(red) as red, sum(yellow) as yellow, sum(green) as green,
               sum(unknown) as unknown, sum(exempted) as exempted
        from mart_unit_counts
        where unit_code in (select unit_code from dim_unit)
        group by unit_code, kind
    ) on red, yellow, green, unknown, exempted into name status value items
),
final as (
    select coalesce(a.unit_code, c.unit_code) as unit_code, coalesce(a.kind, c.kind) as kind,
           coalesce(a.status, c.status) as status, a.items as active, c.items as counted
    from active as a
    full join counted as c on c.unit_code = a.unit_code and c.kind = a.kind and c.status = a.status
    where coalesce(a.items, 0) <> coalesce(c.items, 0)
)
select * from final
