-- the problem with one time or date field, if any: unparseable, or outside the years a real record can have
create or replace temp macro time_check(field_name, txt, ts) as (
    case
        when nullif(trim(txt), '') is null then null
        when ts is null then {
            'code': 'bad_timestamp',
            'reason': format('{} "{}" is not a time in a known format', field_name, txt)}
        when year(ts) < 2000 or year(ts) > 2100 then {
            'code': 'time_out_of_range',
            'reason': format('{} {} is before 2000 or after 2100 (a placeholder date?)', field_name, txt)}
    end
)
