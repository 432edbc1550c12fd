-- one row: how many stored item lights have no item in this run (then they must be removed)
select (select count(*) from item_light) - (select count(*) from light_new where had_light)
