-- the problem with one numeric field, if any: not a number, or not whole where a whole number is needed
create or replace temp macro number_check(field_name, txt, whole) as (
    case
        when try_cast(txt as double) is not null then
            case when whole and try_cast(txt as double) <> floor(try_cast(txt as double)) then {
                'code': 'wrong_type',
                'reason': format('{} "{}" is not a whole number', field_name, txt)}
            end
        when nullif(trim(txt), '') is null then null
        when try_cast(trim(txt) as double) is null then {
            'code': 'wrong_type',
            'reason': format('{} "{}" is not a number', field_name, txt)}
        when whole and try_cast(trim(txt) as double) <> floor(try_cast(trim(txt) as double)) then {
            'code': 'wrong_type',
            'reason': format('{} "{}" is not a whole number', field_name, txt)}
    end
)
