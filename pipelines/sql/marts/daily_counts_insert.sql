-- one row per changed history day, unit and kind: items per status that day
insert into mart_daily_counts by name
with final as (
    select
        h.snapshot_day, h.unit_code, h.kind,
        count(*) filter (where h.status = 'red') as red,
        count(*) filter (where h.status = 'yellow') as yellow,
        count(*) filter (where h.status = 'green') as green,
        count(*) filter (where h.status = 'unknown') as unknown,
        count(*) filter (where h.status = 'exempted') as exempted
    from item_light_history as h
    where h.snapshot_day >= $trend_from
      and h.snapshot_day in (select snapshot_day from mart_history_changed)
    group by h.snapshot_day, h.unit_code, h.kind
)
select * from final
order by snapshot_day, unit_code, kind
