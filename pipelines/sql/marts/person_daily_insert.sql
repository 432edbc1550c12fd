-- one row per changed history day, person and unit: that person's items per status that day
insert into mart_person_daily by name
with final as (
    select
        h.snapshot_day, h.person_id, h.unit_code,
        count(*) filter (where h.status = 'red') as red,
        count(*) filter (where h.status = 'yellow') as yellow,
        count(*) filter (where h.status = 'green') as green,
        count(*) filter (where h.status = 'unknown') as unknown,
        count(*) filter (where h.status = 'exempted') as exempted
    from item_light_history as h
    where h.person_id is not null
      and h.snapshot_day >= $trend_from
      and h.snapshot_day in (select snapshot_day from mart_history_changed)
    group by h.snapshot_day, h.person_id, h.unit_code
)
select * from final
-- within a day in person order, so a person's trend reads one row group per day
order by snapshot_day, person_id, unit_code
