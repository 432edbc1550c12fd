-- marks the unchanged item lights as confirmed by this run
update item_light
set as_of = $as_of, run_id = $run_id
where as_of is distinct from $as_of or run_id is distinct from $run_id
