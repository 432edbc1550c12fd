-- one row per counted item (open, or closed within $closed_days days before its as-of time: the items the red counts
-- beside it count) red now that was not red on $previous_day (none when there is no such day)
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
      -- an item closed before the counting window is in no day's history, however long it has been red: counted
      -- items only, so "newly red" is a part of the red items shown with it and never more than them
      and (i.is_open or i.done_at >= i.as_of - to_days($closed_days))
      and $previous_day::date is not null
      and not exists (select 1 from red_before as b where b.kind = i.kind and b.item_id = i.item_id)
),
final as (
    select * from newly
)
select * from final
order by unit_code, kind, item_id
