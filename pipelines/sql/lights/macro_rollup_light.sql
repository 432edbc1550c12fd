-- the rolled-up light {s: status, c: reason_code} of a set of item lights, by the [rollup] method of the rules
create or replace temp macro rollup_light(red, yellow, green, unknown, method, red_share, yellow_share, unknown_share) as
    case
        when red + yellow + green + unknown = 0 then {'s': 'unknown', 'c': 'no_items'}
        when red + yellow + green = 0 or unknown > unknown_share * (red + yellow + green + unknown)
            then {'s': 'unknown', 'c': 'mostly_unknown'}
        when method = 'worst' then case
            when red > 0 then {'s': 'red', 'c': 'worst'}
            when yellow > 0 then {'s': 'yellow', 'c': 'worst'}
            else {'s': 'green', 'c': 'worst'} end
        when red >= red_share * (red + yellow + green + unknown) then {'s': 'red', 'c': 'red_share'}
        when red + yellow >= yellow_share * (red + yellow + green + unknown) then {'s': 'yellow', 'c': 'yellow_share'}
        else {'s': 'green', 'c': 'share'}
    end
