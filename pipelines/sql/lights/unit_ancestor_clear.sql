-- removes every unit-ancestor row before they are rebuilt from the units' paths
delete from dim_unit_ancestor
