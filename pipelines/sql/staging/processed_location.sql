-- one row when a file with this content was already taken from this source: the run and where the file is kept
select p.run_id, r.location
from processed_file as p
left join raw_batch_file as r on r.run_id = p.run_id and r.sha256 = p.sha256
where p.source = $source and p.sha256 = $sha256
