-- one row per document step, inserted or brought up to date
insert into oa_document_step (doc_id, step_no, step_name, handler_id, unit_code, started_at, finished_at,
                              limit_days, updated_at)
values (?, ?, ?, ?, ?, ?, ?, ?, ?)
on conflict (doc_id, step_no) do update set
    step_name = excluded.step_name,
    handler_id = excluded.handler_id,
    unit_code = excluded.unit_code,
    started_at = excluded.started_at,
    finished_at = excluded.finished_at,
    limit_days = excluded.limit_days,
    updated_at = excluded.updated_at
