-- one row: where the kept file of a run's batch belongs (null when the run recorded none) and the run's state
select
    (select location from raw_batch_file where run_id = $run_id and first_record_no = $first_record_no) as location,
    (select state from pipeline_run where run_id = $run_id) as state
