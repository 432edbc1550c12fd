-- one row per started step (登记/拟办/批办/承办/办结) of a document in the demo OA system
create table if not exists oa_document_step (
    doc_id      text not null,
    step_no     int not null,
    step_name   text not null,
    handler_id  text,
    unit_code   text,
    started_at  text,
    finished_at text,
    limit_days  int,
    updated_at  text not null,
    primary key (doc_id, step_no)
)
