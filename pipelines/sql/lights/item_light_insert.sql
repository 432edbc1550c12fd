-- one row per tracked item with its light as of this run
insert into item_light by name
select * exclude (prev_status, satisfaction, reopened_count) from light_final
