-- one row: how many days the daily unit roll-ups hold (none: trends are counted from item history instead)
with final as (
    select count(distinct snapshot_day) as days from unit_light_history
)
select * from final
