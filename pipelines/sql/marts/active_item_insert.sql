-- one row per counted item, the whole mart written again in status and unit path order
insert into mart_active_item by name
select * from mart_active_source($closed_days)
-- the physical order is the point: one status, and within it one subtree, is a contiguous run of row groups
order by status, unit_path, kind, item_id
