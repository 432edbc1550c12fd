-- the instant of a local wall-clock time in a zone: plain arithmetic when the zone's offset is fixed
create or replace temp macro local_instant(ts, tz, offset_us) as (
    coalesce(make_timestamptz(epoch_us(ts) - offset_us), timezone(tz, ts))
)
