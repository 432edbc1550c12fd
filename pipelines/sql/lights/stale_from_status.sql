-- one row per source with whether its data is older than expected (from the runner's source_status)
create or replace temp table light_stale as
select source, bool_or(coalesce(is_stale, false)) as is_stale
from source_status
group by source
