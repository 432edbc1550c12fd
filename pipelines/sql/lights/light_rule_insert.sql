-- one row per declared rule and selector combination of the current rule set
insert into light_rule by name
select * from rule_frame
