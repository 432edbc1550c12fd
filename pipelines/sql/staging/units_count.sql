-- one row: how many units exist
select count(*) from dim_unit
