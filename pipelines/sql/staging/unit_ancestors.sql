-- one row per unit and each of its ancestors (itself at depth 0), rebuilt from the units' paths
insert into dim_unit_ancestor
with split as (
    select unit_code, string_split(trim(path, '/'), '/') as parts from dim_unit
),
positions as (
    select unit_code, parts, unnest(range(1, len(parts) + 1)) as i from split
),
final as (
    select distinct unit_code, parts[i] as ancestor_code, len(parts) - i as depth from positions
)
select * from final
