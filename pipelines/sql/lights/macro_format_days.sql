-- working seconds as working days with one decimal, for explanations ('2.5'; never '-0.0')
create or replace temp macro fmt_wd(seconds) as round(seconds / 86400.0, 1)::decimal(18, 1)::varchar
