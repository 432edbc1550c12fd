-- one row per organisational unit of the demo OA system
create table if not exists org_unit (
    unit_code   text primary key,
    unit_name   text not null,
    parent_code text,
    unit_level  int not null,
    updated_at  text not null
)
