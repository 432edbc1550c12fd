-- one row per staged record that cannot load: its position in the batch
select _rn from stg_batch where reason_code is not null order by _rn
