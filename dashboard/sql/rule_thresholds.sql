-- one row per declaration of a rule that applies to one item (by category, unit subtree and job), least specific first
with final as (
    select
        r.rule_id, r.rule_version, r.ordinal, r.dims, r.indicator, r.category, r.unit_code, r.job_category,
        r.limit_workdays, r.yellow_unit, r.yellow_value, r.progress_yellow_behind, r.progress_red_behind,
        r.progress_clock, r.not_started_yellow_after_days, r.not_started_red_after_months
    from light_rule as r
    where r.rule_id = $rule::varchar
      and r.rule_version = $version::varchar
      and (r.category is null or r.category = $category::varchar)
      and (r.job_category is null or r.job_category = $job::varchar)
      and (r.unit_code is null or exists (
          select 1 from dim_unit as u where u.unit_code = r.unit_code and starts_with($unit_path::varchar, u.path)))
)
select * from final
order by dims, ordinal
