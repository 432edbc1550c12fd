-- one row per source and quarantine reason: how many records and when the latest arrived
select source, reason_code, count(*) as records, max(quarantined_at) as latest
from quarantine
group by source, reason_code
order by source, reason_code
