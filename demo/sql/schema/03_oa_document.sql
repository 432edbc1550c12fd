-- one row per official document (收文 or 发文) registered in the demo OA system
create table if not exists oa_document (
    doc_id      text primary key,
    title       text,
    doc_type    text,
    category    text,
    unit_code   text,
    handler_id  text,
    received_at text,
    limit_days  int,
    closed_at   text,
    updated_at  text not null
)
