-- the problem with one time or date field, if any: unparseable, or outside the years a real record can have
create or replace temp macro time_check(field_name, txt, ts) as (
    case
        when ts is not null then
            case when ts < '2000-01-01'::timestamptz or ts >= '2101-01-01'::timestamptz then {
                'code': 'time_out_of_range',
                'reason': format('{} {} is before 2000 or after 2100 (a placeholder date?)', field_name, txt)}
            end
        when nullif(trim(txt::varchar), '') is not null then {
            'code': 'bad_timestamp',
            'reason': format('{} "{}" is not a time in a known format', field_name, txt)}
    end
)
