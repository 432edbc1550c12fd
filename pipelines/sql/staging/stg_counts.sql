-- one row: how many records the staged batch has and how many of them are rejected
select count(*), count(*) filter (where reason_code is not null) from stg_batch
