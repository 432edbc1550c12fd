-- one row per flow step of the document behind an item (a document, or one of its steps) in the viewer's scope
with in_view as (
    select unit_code from units_in_view($scope, null)
),
document as (
    -- a step's item id is '<doc_id>#<step_no>'
    select d.doc_id, d.unit_code
    from fct_document as d
    where d.doc_id = split_part($item::varchar, '#', 1)
      and d.unit_code in (select unit_code from in_view)
),
final as (
    select
        s.doc_id, s.step_no, s.step_name, s.person_id, p.name as person_name, s.unit_code,
        u.name as unit_name, u.name_en as unit_name_en, s.started_at, s.finished_at, s.limit_days,
        l.status, l.wd_used, l.wd_remaining
    from fct_document_step as s
    join document as d on d.doc_id = s.doc_id
    left join dim_person as p on p.person_id = s.person_id
    left join dim_unit as u on u.unit_code = s.unit_code
    -- each step's light by the hash of its key: one row group of the item key mart per step
    left join mart_item_key as l
        on l.key_hash = hash('document_step', s.doc_id || '#' || s.step_no)
       and l.kind = 'document_step' and l.item_id = s.doc_id || '#' || s.step_no
)
select * from final
order by step_no
