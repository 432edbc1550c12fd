-- one index entry per document step, for incremental reads by change time
create index if not exists oa_document_step_updated on oa_document_step (updated_at)
