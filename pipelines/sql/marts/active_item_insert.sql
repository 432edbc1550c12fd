-- one row per counted item (open, or closed within $closed_days days before its as-of time), in status and path order
insert into mart_active_item by name
with items as (
    select
        kind, item_id, title, category, status, unit_code, person_id, due_at, done_at, is_open, wd_remaining,
        reason_zh, reason_en
    from item_light
    where is_open or done_at >= as_of - to_days($closed_days)
),
final as (
    select i.*, u.path as unit_path, p.name as person_name
    from items as i
    join dim_unit as u on u.unit_code = i.unit_code
    left join dim_person as p on p.person_id = i.person_id
)
select * from final
-- the physical order is the point: one status, and within it one subtree, is a contiguous run of row groups
order by status, unit_path, kind, item_id
