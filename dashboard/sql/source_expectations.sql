-- one row per configured source: how often the pipelines expect it to succeed (from the source status table)
with final as (
    select source as pipeline, kind, expected_interval_s, last_state
    from source_status
)
select * from final
order by pipeline
