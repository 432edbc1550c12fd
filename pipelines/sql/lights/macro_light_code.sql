-- the status and reason code of a light number (integers keep the per-item classification cheap; the enum
-- types of 032_light_codes.sql keep the working rows small)
create or replace temp macro light_of(n) as [
    {'s': 'unknown'::light_status, 'c': 'no_deadline'::light_reason},        -- 1
    {'s': 'unknown'::light_status, 'c': 'outside_calendar'::light_reason},   -- 2
    {'s': 'red'::light_status, 'c': 'closed_late'::light_reason},            -- 3
    {'s': 'green'::light_status, 'c': 'closed_on_time'::light_reason},       -- 4
    {'s': 'red'::light_status, 'c': 'overdue'::light_reason},                -- 5
    {'s': 'red'::light_status, 'c': 'not_started'::light_reason},            -- 6
    {'s': 'red'::light_status, 'c': 'behind_plan'::light_reason},            -- 7
    {'s': 'yellow'::light_status, 'c': 'behind_plan'::light_reason},         -- 8
    {'s': 'yellow'::light_status, 'c': 'not_started'::light_reason},         -- 9
    {'s': 'yellow'::light_status, 'c': 'paused'::light_reason},              -- 10
    {'s': 'yellow'::light_status, 'c': 'due_soon'::light_reason},            -- 11
    {'s': 'unknown'::light_status, 'c': 'no_progress'::light_reason},        -- 12
    {'s': 'green'::light_status, 'c': 'paused'::light_reason},               -- 13
    {'s': 'green'::light_status, 'c': 'on_track'::light_reason},             -- 14
    {'s': 'yellow'::light_status, 'c': 'recovering'::light_reason},          -- 15
    {'s': 'unknown'::light_status, 'c': 'stale_source'::light_reason}        -- 16
][n]
