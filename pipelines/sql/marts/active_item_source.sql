-- one row per counted item (open, or closed within closed_days days before its as-of time) as the active items mart
-- holds it, with a hash of the whole row: what the mart must equal after a refresh
create or replace temp macro mart_active_source(closed_days) as table
with items as (
    select
        kind, item_id, title, category, status, unit_code, person_id, due_at, done_at, is_open, wd_remaining,
        reason_zh, reason_en
    from item_light
    where is_open or done_at >= as_of - to_days(closed_days)
),
named as (
    select i.*, u.path as unit_path, p.name as person_name
    from items as i
    join dim_unit as u on u.unit_code = i.unit_code
    left join dim_person as p on p.person_id = i.person_id
),
final as (
    select
        *,
        hash(kind, item_id, title, category, status, unit_code, person_id, due_at, done_at, is_open, wd_remaining,
             reason_zh, reason_en, unit_path, person_name) as row_hash
    from named
)
select * from final
