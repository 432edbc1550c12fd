-- one row: how many batches (compacted_batches: run_id, first_record_no, old_location, row_offset) now point at the
-- merged file
update raw_batch_file as r
set location = $location,
    sha256 = $sha256,
    row_offset = c.row_offset
from compacted_batches as c
where r.run_id = c.run_id
  and r.first_record_no = c.first_record_no
  and r.location = c.old_location
