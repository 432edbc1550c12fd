-- one row when mart_refresh does not hold exactly one row
select count(*) as copies
from mart_refresh
having count(*) <> 1
