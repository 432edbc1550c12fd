-- one row: whether the lights pipeline keeps daily unit roll-ups in this snapshot (then trends read them)
with tables as (
    select count(*) as present
    from information_schema.tables
    where table_name = 'unit_light_history'
),
final as (
    select present > 0 as ready from tables
)
select * from final
