-- the problem when a required field is empty
create or replace temp macro required_check(field_name, val) as (
    case
        when val is null then {
            'code': 'missing_value',
            'reason': format('{} is empty', field_name)}
    end
)
