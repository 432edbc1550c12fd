-- one row per document, inserted or brought up to date
insert into oa_document (doc_id, title, doc_type, category, unit_code, handler_id, received_at, limit_days,
                         closed_at, updated_at)
values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
on conflict (doc_id) do update set
    title = excluded.title,
    doc_type = excluded.doc_type,
    category = excluded.category,
    unit_code = excluded.unit_code,
    handler_id = excluded.handler_id,
    received_at = excluded.received_at,
    limit_days = excluded.limit_days,
    closed_at = excluded.closed_at,
    updated_at = excluded.updated_at
