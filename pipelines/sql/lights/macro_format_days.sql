-- working seconds as working days for explanations: whole days as '3', parts of days with one decimal ('2.4')
create or replace temp macro fmt_wd(seconds) as
    case
        when seconds % 86400 = 0 then (seconds // 86400)::bigint::varchar
        else round(seconds / 86400.0, 1)::decimal(18, 1)::varchar
    end
