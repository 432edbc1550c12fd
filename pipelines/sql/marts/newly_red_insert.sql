-- one row per item red now that was not red on $previous_day (none when there is no such day)
insert into mart_newly_red by name
with red_before as (
    select kind, item_id
    from item_light_history
    where snapshot_day = $previous_day and status = 'red'
),
newly as (
    select i.kind, i.item_id, i.title, i.category, i.unit_code, i.person_id, i.wd_remaining, i.due_at, i.reason_zh,
           i.reason_en
    from item_light as i
    where i.status = 'red'
      and $previous_day::date is not null
      and not exists (select 1 from red_before as b where b.kind = i.kind and b.item_id = i.item_id)
),
final as (
    select * from newly
)
select * from final
order by unit_code, kind, item_id
