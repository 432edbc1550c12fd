-- one row per unit, inserted or brought up to date
insert into org_unit (unit_code, unit_name, parent_code, unit_level, updated_at)
values (?, ?, ?, ?, ?)
on conflict (unit_code) do update set
    unit_name = excluded.unit_name,
    parent_code = excluded.parent_code,
    unit_level = excluded.unit_level,
    updated_at = excluded.updated_at
