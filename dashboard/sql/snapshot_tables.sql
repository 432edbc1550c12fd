-- one row per table or view in the snapshot (optional tables are used only when present)
with final as (
    select table_name from information_schema.tables
)
select * from final
order by table_name
