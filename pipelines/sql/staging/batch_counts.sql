-- one row: how many records the batch has, how many were rejected and how many replaced a changed record
select
    (select count(*) from stg_batch) as received,
    (select count(*) from stg_batch where reason_code is not null) as rejected,
    (select count(*) from chg_batch) as updated
