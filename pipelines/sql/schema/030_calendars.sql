-- Working-day calendars per deployment and unit subtree, with the cumulative counters the clocks use.

-- One row per calendar and day. calendar_id 'default' is the deployment calendar (also in dim_calendar);
-- others come from [calendars.<id>] in config/calendar.toml.
create table if not exists calendar_day (
    calendar_id     varchar not null,
    day             date not null,
    is_workday      boolean not null,
    day_type        varchar not null,       -- workday | weekend | holiday | makeup_workday | local_workday | local_day_off
    holiday_name    varchar,
    holiday_name_en varchar,
    basis           varchar not null,       -- official | local | assumed
    workday_seq     integer not null,       -- working days from the calendar's first day up to and including this day
    office_s        integer not null,       -- office seconds on this day (0 on days off)
    office_s_before bigint not null,        -- office seconds on all earlier days
    assumed_seq     integer not null,       -- days with basis 'assumed' up to and including this day
    local_seq       integer not null,       -- days with basis 'local' up to and including this day
    primary key (calendar_id, day)
);

-- One row per calendar and minute of a working day (0..1440): office seconds elapsed at the start of that
-- minute and whether the minute is office time; turns a time of day into office seconds with one join.
create table if not exists office_minute (
    calendar_id    varchar not null,
    minute_of_day  integer not null,
    elapsed_s      integer not null,
    in_office      boolean not null,
    primary key (calendar_id, minute_of_day)
);

-- One row per unit: the calendar its clocks count on (the nearest ancestor with its own calendar, else 'default').
create table if not exists unit_calendar (
    unit_code    varchar primary key,
    calendar_id  varchar not null
);
