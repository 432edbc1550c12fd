-- one row per staff member of the demo OA system
create table if not exists org_person (
    person_id    text primary key,
    person_name  text not null,
    unit_code    text not null,
    job_category text not null,
    difficulty   real not null,
    updated_at   text not null
)
