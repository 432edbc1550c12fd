-- one index entry per document, for incremental reads by change time
create index if not exists oa_document_updated on oa_document (updated_at)
