-- one row per record of the batch as received: its position and the record as JSON
create or replace temp table raw_payload as
select r._rn, to_json(p) as payload
from raw_batch as r
positional join (select * exclude (_rn) from raw_batch) as p
