-- one row per person, inserted or brought up to date
insert into org_person (person_id, person_name, unit_code, job_category, difficulty, updated_at)
values (?, ?, ?, ?, ?, ?)
on conflict (person_id) do update set
    person_name = excluded.person_name,
    unit_code = excluded.unit_code,
    job_category = excluded.job_category,
    difficulty = excluded.difficulty,
    updated_at = excluded.updated_at
