-- an instant as local wall-clock time, for a zone with a fixed UTC offset (checked by pipelines/lights.py)
create or replace temp macro local_ts(ts, off_us) as make_timestamp(epoch_us(ts) + off_us)
