-- one row per batch kept in one of $locations, with its records: the files still in use
select location, records
from raw_batch_file
where list_contains($locations, location)
