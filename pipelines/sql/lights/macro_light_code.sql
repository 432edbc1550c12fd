-- the status and reason code of a light number (integers keep the per-item classification cheap)
create or replace temp macro light_of(n) as [
    {'s': 'unknown', 'c': 'no_deadline'},        -- 1
    {'s': 'unknown', 'c': 'outside_calendar'},   -- 2
    {'s': 'red', 'c': 'closed_late'},            -- 3
    {'s': 'green', 'c': 'closed_on_time'},       -- 4
    {'s': 'red', 'c': 'overdue'},                -- 5
    {'s': 'red', 'c': 'not_started'},            -- 6
    {'s': 'red', 'c': 'behind_plan'},            -- 7
    {'s': 'yellow', 'c': 'behind_plan'},         -- 8
    {'s': 'yellow', 'c': 'not_started'},         -- 9
    {'s': 'yellow', 'c': 'paused'},              -- 10
    {'s': 'yellow', 'c': 'due_soon'},            -- 11
    {'s': 'unknown', 'c': 'no_progress'},        -- 12
    {'s': 'green', 'c': 'paused'},               -- 13
    {'s': 'green', 'c': 'on_track'},             -- 14
    {'s': 'yellow', 'c': 'recovering'},          -- 15
    {'s': 'unknown', 'c': 'stale_source'}        -- 16
][n]
