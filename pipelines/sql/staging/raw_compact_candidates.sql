-- one row per kept Parquet file of a source's batches loaded in [$since, $before): the compaction's candidates
select source, run_id, first_record_no, records, loaded_at, location, sha256
from raw_batch_file
where format = 'parquet'
  and loaded_at >= $since
  and loaded_at < $before
  and source = coalesce($source, source)
order by source, run_id, first_record_no
