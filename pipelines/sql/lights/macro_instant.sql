-- a local wall-clock time as an instant, for a zone with a fixed UTC offset (checked by pipelines/lights.py)
create or replace temp macro instant(local, off_us) as make_timestamptz(epoch_us(local) - off_us)
