-- one row per node of the key task behind a milestone item in the viewer's scope: plan against actual
with in_view as (
    select unit_code from units_in_view($scope, null)
),
target as (
    select coalesce(m.task_id, m.milestone_id) as task_key
    from fct_milestone as m
    where m.milestone_id = $item::varchar
      and m.unit_code in (select unit_code from in_view)
),
final as (
    select
        m.milestone_id, m.task_id, m.task_name, m.name, m.category, m.unit_code, u.name as unit_name,
        u.name_en as unit_name_en, m.person_id, p.name as person_name, m.planned_start, m.planned_date,
        m.actual_date, m.progress_pct, l.status, m.milestone_id = $item::varchar as is_this
    from fct_milestone as m
    join target as t on coalesce(m.task_id, m.milestone_id) = t.task_key
    left join dim_unit as u on u.unit_code = m.unit_code
    left join dim_person as p on p.person_id = m.person_id
    -- each node's light by the hash of its key: one row group of the item key mart per node
    left join mart_item_key as l
        on l.key_hash = hash('milestone', m.milestone_id) and l.kind = 'milestone' and l.item_id = m.milestone_id
    -- nodes of the same task in units outside the scope stay hidden
    where m.unit_code in (select unit_code from in_view)
)
select * from final
order by planned_date, milestone_id
