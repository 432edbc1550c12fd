-- one row: how the batch split into rejected, new, changed and unchanged records
select
    (select count(*) from stg_batch) as received,
    (select count(*) from stg_batch where reason_code is not null) as rejected,
    (select count(*) from chg_batch where is_new) as inserted,
    (select count(*) from chg_batch where not is_new) as updated
