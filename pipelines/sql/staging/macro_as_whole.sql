-- a whole number from text such as '3' or '3.0' (spreadsheets write whole numbers as decimals)
create or replace temp macro as_whole(txt) as (
    coalesce(
        try_cast(try_cast(txt as double) as bigint),
        try_cast(try_cast(nullif(trim(txt), '') as double) as bigint))
)
